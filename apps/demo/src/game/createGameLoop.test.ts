import { describe, expect, it } from 'vitest';
import { createGameLoop, TICK_SECONDS } from './createGameLoop';
import { createPong, PADDLE_SPEED } from './pong';

function harness() {
  let t = 0;
  let pending: (() => void) | undefined;
  return {
    now: () => t,
    requestFrame: (cb: () => void) => {
      pending = cb;
      return () => (pending = undefined);
    },
    advance(ms: number) {
      t += ms;
      const cb = pending;
      pending = undefined;
      cb?.();
    },
    get scheduled() {
      return pending !== undefined;
    },
  };
}

describe('createGameLoop', () => {
  it('steps at a fixed rate regardless of frame timing', () => {
    const h = harness();
    const frames: number[] = [];
    const loop = createGameLoop({
      initial: createPong(1),
      readInputs: () => [-1, 1],
      onFrame: (s) => frames.push(s.tick),
      now: h.now,
      requestFrame: h.requestFrame,
    });
    h.advance(4); // less than a tick: nothing yet
    expect(frames).toEqual([]);
    h.advance(96); // 100 ms in total = 12 ticks
    expect(loop.state.tick).toBe(12);
    expect(loop.state.paddles[0]).toBeCloseTo(240 - 12 * TICK_SECONDS * PADDLE_SPEED);
    expect(frames).toEqual([12]);
    loop.stop();
    expect(h.scheduled).toBe(false);
  });

  it('skips ahead after a long stall instead of simulating it all', () => {
    const h = harness();
    const loop = createGameLoop({
      initial: createPong(1),
      readInputs: () => [0, 0],
      onFrame: () => {},
      now: h.now,
      requestFrame: h.requestFrame,
    });
    h.advance(60_000);
    expect(loop.state.tick).toBe(30); // 0.25 s at 120 Hz
    loop.stop();
  });
});
