import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CoplayError } from '../errors/CoplayError';
import { RttEstimator } from './RttEstimator';

describe('RttEstimator', () => {
  it('has no figure before a sample, and no jitter before a second one', () => {
    const e = new RttEstimator();
    expect([e.srtt, e.rttvar, e.count, e.settled]).toEqual([undefined, undefined, 0, false]);
    e.sample(12);
    expect([e.srtt, e.rttvar, e.count, e.settled]).toEqual([12, undefined, 1, false]);
  });

  it('a slow first sample is outvoted by the next one and forgotten once settled', () => {
    const e = new RttEstimator();
    e.sample(94); // right after page load
    e.sample(4);
    expect(e.srtt).toBe(4);
    e.sample(5);
    expect(e.settled).toBe(true);
    expect(e.srtt).toBe(5);
  });

  it('a single slow sample among steady ones does not move the estimate', () => {
    const e = new RttEstimator();
    for (let i = 0; i < 8; i++) e.sample(i % 2 ? 2 : 3);
    const before = e.srtt;
    e.sample(170);
    expect(e.srtt).toBe(before);
    expect(e.rttvar!).toBeLessThanOrEqual(1);
  });

  it('follows a lasting change within half a window', () => {
    const e = new RttEstimator({ window: 8 });
    for (let i = 0; i < 8; i++) e.sample(2);
    for (let i = 0; i < 4; i++) e.sample(40);
    expect(e.srtt).toBe(2);
    e.sample(40);
    expect(e.srtt).toBe(40);
  });

  it('ignores negative and non-finite samples, and reset() forgets everything', () => {
    const e = new RttEstimator();
    e.sample(-5);
    e.sample(Number.NaN);
    e.sample(Number.POSITIVE_INFINITY);
    expect(e.count).toBe(0);
    e.sample(3);
    e.sample(4);
    e.reset();
    expect([e.srtt, e.rttvar, e.count]).toEqual([undefined, undefined, 0]);
    e.sample(7);
    expect(e.srtt).toBe(7);
  });

  it('rejects a window under 3 with a typed error', () => {
    expect(() => new RttEstimator({ window: 2 })).toThrow(CoplayError);
    expect(() => new RttEstimator({ window: 2.5 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });

  it('property: with at least 3 samples, one outlier never sets the estimate outside the others’ range', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 500, noNaN: true }), { minLength: 3, maxLength: 7 }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.nat(7),
        (steady, outlier, at) => {
          const e = new RttEstimator({ window: 8 });
          const all = [...steady];
          all.splice(Math.min(at, all.length), 0, outlier);
          for (const s of all) e.sample(s);
          expect(e.srtt!).toBeGreaterThanOrEqual(Math.min(...steady));
          expect(e.srtt!).toBeLessThanOrEqual(Math.max(...steady));
        },
      ),
    );
  });
});
