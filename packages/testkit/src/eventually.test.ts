import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventually } from './eventually';

afterEach(() => {
  vi.useRealTimers();
});

describe('eventually', () => {
  it('retries until the check stops throwing', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const done = eventually(() => {
      calls++;
      expect(calls).toBe(3);
    });
    await vi.advanceTimersByTimeAsync(20);
    await done;
    expect(calls).toBe(3);
  });

  it("rethrows the check's last error after timeoutMs", async () => {
    vi.useFakeTimers();
    let calls = 0;
    const done = eventually(() => {
      calls++;
      throw new Error(`not yet ${calls}`);
    }, 100);
    const settled = expect(done).rejects.toThrow(/^not yet \d+$/);
    await vi.advanceTimersByTimeAsync(200);
    await settled;
    // Every 10 ms for 100 ms, then one more try past the deadline.
    expect(calls).toBeGreaterThanOrEqual(10);
  });
});
