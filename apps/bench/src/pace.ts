/**
 * Calls `send(i, atMs)` `count` times at about `rate` per second; `atMs` is the send time relative to the
 * start. Then waits `drainMs` for stragglers.
 */
export async function pace(count: number, rate: number, send: (i: number) => void, drainMs = 300): Promise<void> {
  const start = performance.now();
  const periodMs = 1000 / rate;
  let i = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(count, Math.floor((performance.now() - start) / periodMs) + 1);
      while (i < due) send(i++);
      if (i >= count) resolve();
      else setTimeout(tick, Math.max(0, start + i * periodMs - performance.now() - 0.5));
    };
    tick();
  });
  await sleep(drainMs);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
