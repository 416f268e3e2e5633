import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backoffDelay, DEFAULT_RECONNECT } from './backoffDelay';

const opts = { ...DEFAULT_RECONNECT, initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2 };

describe('backoffDelay', () => {
  it('grows exponentially and is capped (no jitter)', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, { ...opts, jitter: 0 }, () => 0.7));
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('full jitter stays within [0, capped delay]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (n, r) => {
        const d = backoffDelay(n, opts, () => r);
        const cap = Math.min(1000, 100 * 2 ** (n - 1));
        return d >= 0 && d <= cap;
      }),
    );
  });

  it('partial jitter keeps at least (1 - jitter) of the delay', () => {
    expect(backoffDelay(3, { ...opts, jitter: 0.25 }, () => 0.999999)).toBe(300);
    expect(backoffDelay(3, { ...opts, jitter: 0.25 }, () => 0)).toBe(400);
  });
});
