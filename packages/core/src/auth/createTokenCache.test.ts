import { VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { CoplayError, isCoplayError } from '../errors/CoplayError';
import { createTokenCache, type TokenState } from './createTokenCache';

/** A fetch the test resolves by hand, counting calls. */
function manualFetch() {
  const pending: Array<{ resolve: (v: { credentials: string; expiresAt?: number }) => void; reject: (e: unknown) => void; signal: AbortSignal }> = [];
  let calls = 0;
  const fetch = (signal: AbortSignal) =>
    new Promise<{ credentials: string; expiresAt?: number }>((resolve, reject) => {
      calls += 1;
      pending.push({ resolve, reject, signal });
    });
  return {
    fetch,
    get calls() {
      return calls;
    },
    next() {
      const p = pending.shift();
      if (!p) throw new Error('no fetch pending');
      return p;
    },
  };
}

describe('createTokenCache', () => {
  it('single-flight: ten concurrent callers cause one fetch and get the same value', async () => {
    const f = manualFetch();
    const cache = createTokenCache({ fetch: f.fetch });
    const all = Promise.all(Array.from({ length: 10 }, () => cache.get()));
    expect(f.calls).toBe(1);
    expect(cache.state.value.status).toBe('fetching');
    f.next().resolve({ credentials: 'tok-1' });
    expect(await all).toEqual(Array(10).fill('tok-1'));
    expect(await cache.get()).toBe('tok-1');
    expect(f.calls).toBe(1);
    expect(cache.state.value).toEqual({ status: 'valid' });
  });

  it('reuses a token until the refresh margin before expiry, then fetches ahead of it', async () => {
    let now = 1_000_000;
    let n = 0;
    const cache = createTokenCache({
      now: () => now,
      refreshMarginMs: 10_000,
      fetch: async () => ({ credentials: `tok-${++n}`, expiresAt: now + 60_000 }),
    });
    expect(await cache.get()).toBe('tok-1');
    expect(cache.state.value).toEqual({ status: 'valid', expiresAt: 1_060_000 });
    now += 49_999; // 10 001 ms before expiry: still fresh
    expect(await cache.get()).toBe('tok-1');
    now += 1; // exactly margin before expiry: renew, although the old token is still valid
    expect(await cache.get()).toBe('tok-2');
    expect(n).toBe(2);
  });

  it('clamps the margin to half the lifetime so short-lived tokens are still reused', async () => {
    const scheduler = new VirtualTimeScheduler();
    let n = 0;
    const cache = createTokenCache({
      scheduler,
      refreshMarginMs: 60_000,
      fetch: async () => ({ credentials: `tok-${++n}`, expiresAt: scheduler.now() + 2_000 }),
    });
    expect(await cache.get()).toBe('tok-1');
    scheduler.schedule(() => undefined, 999);
    scheduler.flush();
    expect(await cache.get()).toBe('tok-1');
    scheduler.schedule(() => undefined, 1);
    scheduler.flush();
    expect(await cache.get()).toBe('tok-2');
  });

  it('refresh drops the cached value; invalidate(value) only drops that value', async () => {
    let n = 0;
    const cache = createTokenCache({ fetch: async () => ({ credentials: `tok-${++n}` }) });
    expect(await cache.get()).toBe('tok-1');
    expect(await cache.get({ refresh: true })).toBe('tok-2');
    cache.invalidate('tok-1'); // stale caller: ignored
    expect(await cache.get()).toBe('tok-2');
    cache.invalidate('tok-2');
    expect(cache.state.value.status).toBe('empty');
    expect(await cache.get()).toBe('tok-3');
    cache.invalidate();
    expect(await cache.get()).toBe('tok-4');
  });

  it('refresh while a fetch is running joins it instead of starting another', async () => {
    const f = manualFetch();
    const cache = createTokenCache({ fetch: f.fetch });
    const a = cache.get();
    const b = cache.get({ refresh: true });
    expect(f.calls).toBe(1);
    f.next().resolve({ credentials: 'x' });
    expect(await Promise.all([a, b])).toEqual(['x', 'x']);
  });

  it('does not cache failures; state shows the typed error; plain errors are wrapped', async () => {
    const f = manualFetch();
    const cache = createTokenCache({ fetch: f.fetch });
    const states: TokenState['status'][] = [];
    cache.state.value$.subscribe((s) => states.push(s.status));

    const first = cache.get();
    f.next().reject(new Error('boom'));
    const error = await first.catch((e: unknown) => e);
    expect(isCoplayError(error, 'CREDENTIALS_FAILED')).toBe(true);
    expect(cache.state.value).toMatchObject({ status: 'error', error: { code: 'CREDENTIALS_FAILED' } });

    const second = cache.get();
    f.next().reject(new CoplayError('TOKEN_REFUSED', 'no', { status: 401 }));
    await expect(second).rejects.toMatchObject({ code: 'TOKEN_REFUSED', status: 401 });

    const third = cache.get();
    f.next().resolve({ credentials: 'ok', expiresAt: Date.now() + 3_600_000 });
    expect(await third).toBe('ok');
    expect(f.calls).toBe(3);
    expect(states).toEqual(['empty', 'fetching', 'error', 'fetching', 'error', 'fetching', 'valid']);
  });

  it('a waiter that aborts stops waiting; the fetch is aborted only when every waiter left', async () => {
    const f = manualFetch();
    const cache = createTokenCache({ fetch: f.fetch });
    const c1 = new AbortController();
    const c2 = new AbortController();
    const p1 = cache.get({ signal: c1.signal });
    const p2 = cache.get({ signal: c2.signal });
    const pending = f.next();

    c1.abort(new Error('first left'));
    await expect(p1).rejects.toThrow('first left');
    expect(pending.signal.aborted).toBe(false);

    c2.abort(new Error('second left'));
    await expect(p2).rejects.toThrow('second left');
    expect(pending.signal.aborted).toBe(true);
    pending.reject(pending.signal.reason);
    await Promise.resolve();
    await Promise.resolve();
    expect(cache.state.value.status).toBe('empty');

    // An already-aborted signal rejects at once without fetching.
    await expect(cache.get({ signal: AbortSignal.abort(new Error('gone')) })).rejects.toThrow('gone');
    expect(f.calls).toBe(1);
  });

  it('rejects a non-finite expiry as TOKEN_RESPONSE and a bad margin as INVALID_OPTIONS', async () => {
    const cache = createTokenCache({ fetch: async () => ({ credentials: 'x', expiresAt: Number.NaN }) });
    await expect(cache.get()).rejects.toMatchObject({ code: 'TOKEN_RESPONSE' });
    expect(() => createTokenCache({ fetch: async () => ({ credentials: 1 }), refreshMarginMs: -1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });
});
