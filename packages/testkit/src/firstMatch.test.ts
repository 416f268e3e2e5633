import { afterEach, describe, expect, it, vi } from 'vitest';
import { firstMatch, type Subscribable } from './firstMatch';

/** A replaying source like a BehaviorSubject: sends its current value on subscribe, then whatever `emit` gets. */
function replaying<T>(initial: T) {
  let current = initial;
  let observer: Parameters<Subscribable<T>['subscribe']>[0] | undefined;
  const log = { subscribed: 0, unsubscribed: 0 };
  const source: Subscribable<T> = {
    subscribe(o) {
      log.subscribed++;
      observer = o;
      o.next(current);
      return {
        unsubscribe() {
          log.unsubscribed++;
          observer = undefined;
        },
      };
    },
  };
  return {
    source,
    log,
    emit: (v: T) => {
      current = v;
      observer?.next(v);
    },
    complete: () => observer?.complete(),
    fail: (e: unknown) => observer?.error(e),
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('firstMatch', () => {
  it('resolves with a current value that matches during subscribe, and unsubscribes', async () => {
    const s = replaying({ status: 'connected' });
    await expect(firstMatch(s.source, (v) => v.status === 'connected', 1000, 'x')).resolves.toEqual({ status: 'connected' });
    expect(s.log).toEqual({ subscribed: 1, unsubscribed: 1 });
  });

  it('waits for a later match, skipping values that do not match', async () => {
    const s = replaying(1);
    const found = firstMatch(s.source, (v) => v > 2, 1000, 'x');
    s.emit(2);
    s.emit(3);
    s.emit(4);
    await expect(found).resolves.toBe(3);
    expect(s.log.unsubscribed).toBe(1);
  });

  it('rejects, naming what it waited for and the last value, when the source completes first', async () => {
    const s = replaying({ status: 'joining' });
    const found = firstMatch(s.source, (v) => v.status === 'closed', 1000, 'guest status closed');
    s.complete();
    await expect(found).rejects.toThrow("guest status closed: completed without a match (last value: { status: 'joining' })");
  });

  it('rejects after timeoutMs without a match, and unsubscribes', async () => {
    vi.useFakeTimers();
    const s = replaying('connecting');
    const found = firstMatch(s.source, (v) => v === 'connected', 500, 'connection c1');
    const settled = expect(found).rejects.toThrow("connection c1: no match within 500 ms (last value: 'reconnecting')");
    await vi.advanceTimersByTimeAsync(499);
    s.emit('reconnecting');
    await vi.advanceTimersByTimeAsync(1);
    await settled;
    expect(s.log.unsubscribed).toBe(1);
  });

  it("passes on the source's error", async () => {
    const s = replaying(0);
    const found = firstMatch(s.source, () => false, 1000, 'x');
    const boom = new Error('boom');
    s.fail(boom);
    await expect(found).rejects.toBe(boom);
  });
});
