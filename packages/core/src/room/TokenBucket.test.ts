import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenBucket } from './TokenBucket';

describe('TokenBucket', () => {
  it('starts full: `burst` takes succeed at once, the next fails', () => {
    const bucket = new TokenBucket(10, 3);
    expect([0, 0, 0, 0].map((t) => bucket.take(t))).toEqual([true, true, true, false]);
  });

  it('refills at ratePerSecond, never above burst', () => {
    const bucket = new TokenBucket(10, 2);
    bucket.take(0);
    bucket.take(0);
    expect(bucket.take(50)).toBe(false); // half a token
    expect(bucket.take(100)).toBe(true); // 0.5 + 0.5 = 1 token after 100 ms
    expect([10_000, 10_000, 10_000].map((t) => bucket.take(t))).toEqual([true, true, false]); // capped at 2
  });

  it('a clock that goes backwards refills nothing', () => {
    const bucket = new TokenBucket(1000, 1);
    expect(bucket.take(1000)).toBe(true);
    expect(bucket.take(0)).toBe(false);
    expect(bucket.take(999)).toBe(false);
    expect(bucket.take(1001)).toBe(true);
  });

  it('over any run, accepts at most burst + rate × elapsed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 300 }),
        (rate, burst, gaps) => {
          const bucket = new TokenBucket(rate, burst);
          let t = 0;
          let accepted = 0;
          for (const gap of gaps) {
            t += gap;
            if (bucket.take(t)) accepted++;
          }
          expect(accepted).toBeLessThanOrEqual(burst + Math.floor((rate * t) / 1000));
        },
      ),
    );
  });
});
