import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { farewells, FAREWELL_WAIT_MS } from './farewells';

const flushMicrotasks = () => new Promise((r) => setTimeout(r, 0));

describe('farewells', () => {
  it('settles as soon as every send settled (rejections included), and leaves no timer behind', async () => {
    const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);
    let fail!: (e: Error) => void;
    const sends = [Promise.resolve(true), new Promise<boolean>((_, reject) => (fail = reject))];
    let done = false;
    void farewells(sends, scheduler).then(() => (done = true));
    await flushMicrotasks();
    expect(done).toBe(false);
    fail(new Error('CLOSED'));
    await flushMicrotasks();
    expect(done).toBe(true);
    expect(scheduler.actions).toEqual([]); // the wait was cancelled
  });

  it('settles after FAREWELL_WAIT_MS of its scheduler when a send never does', async () => {
    const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);
    let done = false;
    void farewells([new Promise(() => {})], scheduler).then(() => (done = true));
    scheduler.maxFrames = FAREWELL_WAIT_MS - 1;
    scheduler.flush();
    await flushMicrotasks();
    expect(done).toBe(false);
    scheduler.maxFrames = FAREWELL_WAIT_MS;
    scheduler.flush();
    await flushMicrotasks();
    expect(done).toBe(true);
  });
});
