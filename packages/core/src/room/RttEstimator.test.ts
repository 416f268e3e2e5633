import { describe, expect, it } from 'vitest';
import { RttEstimator } from './RttEstimator';

describe('RttEstimator', () => {
  it('smooths like TCP SRTT/RTTVAR', () => {
    const e = new RttEstimator();
    expect(e.srtt).toBeUndefined();
    e.sample(100);
    expect([e.srtt, e.rttvar]).toEqual([100, 50]);
    e.sample(200);
    expect(e.rttvar).toBe(0.75 * 50 + 0.25 * 100);
    expect(e.srtt).toBe(0.875 * 100 + 0.125 * 200);
    e.sample(-5);
    e.sample(Number.NaN);
    expect(e.srtt).toBe(112.5);
  });

  it('converges to a steady RTT and its jitter shrinks', () => {
    const e = new RttEstimator();
    e.sample(300);
    for (let i = 0; i < 100; i++) e.sample(i % 2 ? 48 : 52);
    expect(e.srtt!).toBeCloseTo(50, 0);
    expect(e.rttvar!).toBeLessThan(3);
  });
});
