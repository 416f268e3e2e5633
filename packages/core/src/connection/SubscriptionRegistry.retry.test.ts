import { VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { advance } from './testing';
import { SubscriptionRegistry, type SubscribeSink } from './SubscriptionRegistry';
import type { QoS } from './types';

/** A sink that answers every SUBSCRIBE with the next scripted code (0x80 = refused). */
function scriptedSink(codes: number[]): SubscribeSink & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    subscribe(list: ReadonlyArray<{ filter: string; qos: QoS }>, done) {
      sent.push(...list.map((l) => l.filter));
      done(list.map(() => codes.shift() ?? 0));
    },
    unsubscribe() {},
  };
}

describe('SubscriptionRegistry: refused SUBSCRIBEs on brokers whose refusals can be temporary', () => {
  it('sends a refused SUBSCRIBE again after each retry delay and keeps the stream open once granted', () => {
    const scheduler = new VirtualTimeScheduler();
    const registry = new SubscriptionRegistry(scheduler, 0, [500, 1000]);
    const sink = scriptedSink([0x80, 0x80, 1]);
    registry.setSink(sink);
    let error: unknown;
    registry.topic('cp/r/d/g', 1).subscribe({ error: (e) => (error = e) });
    expect(sink.sent).toHaveLength(1);
    advance(scheduler, 499);
    expect(sink.sent).toHaveLength(1);
    advance(scheduler, 1);
    expect(sink.sent).toHaveLength(2);
    advance(scheduler, 1000);
    expect(sink.sent).toHaveLength(3);
    expect(error).toBeUndefined();
    expect(registry.filters).toEqual(['cp/r/d/g']);
  });

  it('errors with SUBSCRIBE_FAILED once the retries are used up, and at once without retries', () => {
    const scheduler = new VirtualTimeScheduler();
    const retrying = new SubscriptionRegistry(scheduler, 0, [10]);
    retrying.setSink(scriptedSink([0x80, 0x80]));
    let error: unknown;
    retrying.topic('a', 1).subscribe({ error: (e) => (error = e) });
    expect(error).toBeUndefined();
    advance(scheduler, 10);
    expect(error).toMatchObject({ code: 'SUBSCRIBE_FAILED', details: { reasonCode: 0x80 } });

    const strict = new SubscriptionRegistry(scheduler, 0);
    strict.setSink(scriptedSink([0x80]));
    let strictError: unknown;
    strict.topic('b', 1).subscribe({ error: (e) => (strictError = e) });
    expect(strictError).toMatchObject({ code: 'SUBSCRIBE_FAILED' });
  });

  it('a pending retry is dropped when the link changes (the new link subscribes anyway) or the last subscriber leaves', () => {
    const scheduler = new VirtualTimeScheduler();
    const registry = new SubscriptionRegistry(scheduler, 0, [100]);
    const first = scriptedSink([0x80]);
    registry.setSink(first);
    const sub = registry.topic('a', 1).subscribe();
    const second = scriptedSink([]);
    registry.setSink(second);
    advance(scheduler, 200);
    expect(first.sent).toEqual(['a']);
    expect(second.sent).toEqual(['a']);
    const third = scriptedSink([0x80]);
    registry.setSink(third);
    sub.unsubscribe();
    advance(scheduler, 200);
    expect(third.sent).toEqual(['a']);
    expect(registry.filters).toEqual([]);
  });
});
