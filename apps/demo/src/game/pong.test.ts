import { describe, expect, it } from 'vitest';
import {
  BALL_SIZE,
  PADDLE_HEIGHT,
  PADDLE_INSET,
  PADDLE_SPEED,
  PADDLE_WIDTH,
  SERVE_DELAY,
  createPong,
  step,
  type PongState,
} from './pong';

const DT = 1 / 120;

function run(state: PongState, seconds: number, p1 = 0, p2 = 0): PongState {
  let s = state;
  for (let i = 0; i < Math.round(seconds / DT); i++) s = step(s, p1, p2, DT);
  return s;
}

/** A state with the ball in play at a given place and velocity. */
function inPlay(ball: PongState['ball'], paddles: [number, number] = [240, 240]): PongState {
  return { ...createPong(1), serveIn: 0, ball, paddles };
}

describe('step', () => {
  it('moves each paddle by its own input and clamps it to the field', () => {
    const s0 = createPong(1);
    const s1 = step(s0, -1, 1, 0.1);
    expect(s1.paddles[0]).toBeCloseTo(240 - PADDLE_SPEED * 0.1);
    expect(s1.paddles[1]).toBeCloseTo(240 + PADDLE_SPEED * 0.1);
    const top = run(s0, 3, -1, 1);
    expect(top.paddles[0]).toBe(PADDLE_HEIGHT / 2);
    expect(top.paddles[1]).toBe(s0.height - PADDLE_HEIGHT / 2);
  });

  it('treats NaN and out-of-range input as safe values', () => {
    const s0 = createPong(1);
    expect(step(s0, Number.NaN, Number.POSITIVE_INFINITY, 0.1).paddles[0]).toBe(240);
    expect(step(s0, 0, 50, 0.1).paddles[1]).toBeCloseTo(240 + PADDLE_SPEED * 0.1);
  });

  it('is pure: the input state is not changed, and dt <= 0 or NaN changes nothing', () => {
    const s0 = createPong(3);
    const copy = structuredClone(s0);
    step(s0, 1, -1, 0.5);
    expect(s0).toEqual(copy);
    expect(step(s0, 1, 1, 0)).toBe(s0);
    expect(step(s0, 1, 1, -1)).toBe(s0);
    expect(step(s0, 1, 1, Number.NaN)).toBe(s0);
  });

  it('is deterministic: the same seed and inputs give the same match', () => {
    const play = (seed: number) => {
      let s = createPong(seed);
      for (let i = 0; i < 6000; i++) s = step(s, Math.sin(i / 37), Math.cos(i / 23), DT);
      return s;
    };
    expect(play(42)).toEqual(play(42));
    expect(play(42)).not.toEqual(play(43));
  });

  it('serves after the delay towards P2 first, from the centre', () => {
    const s0 = createPong(7);
    const before = run(s0, SERVE_DELAY - 0.1);
    expect(before.ball.vx).toBe(0);
    expect(before.ball.x).toBe(s0.width / 2);
    const after = run(s0, SERVE_DELAY + 0.05);
    expect(after.ball.vx).toBeGreaterThan(0);
    expect(after.ball.x).toBeGreaterThan(s0.width / 2);
  });

  it('bounces off the walls', () => {
    const s = step(inPlay({ x: 400, y: 8, vx: 0, vy: -300 }), 0, 0, 0.02);
    expect(s.ball.vy).toBeGreaterThan(0);
    expect(s.ball.y).toBeGreaterThanOrEqual(BALL_SIZE / 2);
    const b = step(inPlay({ x: 400, y: 472, vx: 0, vy: 300 }), 0, 0, 0.02);
    expect(b.ball.vy).toBeLessThan(0);
    expect(b.ball.y).toBeLessThanOrEqual(480 - BALL_SIZE / 2);
  });

  it("returns the ball off P2's paddle, faster, and counts the rally", () => {
    const face = 800 - PADDLE_INSET - PADDLE_WIDTH;
    const s0 = inPlay({ x: face - 20, y: 240, vx: 400, vy: 0 }, [240, 240]);
    const s = run(s0, 0.1);
    expect(s.ball.vx).toBeLessThan(0);
    expect(Math.abs(s.ball.vx)).toBeGreaterThan(400);
    expect(s.rally).toBe(1);
    expect(s.score).toEqual([0, 0]);
  });

  it('angles the return by where the ball hits the paddle', () => {
    const face = PADDLE_INSET + PADDLE_WIDTH;
    const low = run(inPlay({ x: face + 20, y: 270, vx: -400, vy: 0 }, [240, 240]), 0.1);
    expect(low.ball.vx).toBeGreaterThan(0);
    expect(low.ball.vy).toBeGreaterThan(0);
    const high = run(inPlay({ x: face + 20, y: 210, vx: -400, vy: 0 }, [240, 240]), 0.1);
    expect(high.ball.vy).toBeLessThan(0);
  });

  it('scores for P1 when P2 misses, then serves towards P2 again', () => {
    const s0 = inPlay({ x: 700, y: 100, vx: 600, vy: 0 }, [240, 400]);
    const s = run(s0, 0.5);
    expect(s.score).toEqual([1, 0]);
    expect(s.serveIn).toBeGreaterThan(0);
    expect(s.serveTo).toBe(1);
    expect(s.rally).toBe(0);
  });

  it('scores for P2 when P1 misses and serves towards P1', () => {
    const s = run(inPlay({ x: 100, y: 400, vx: -600, vy: 0 }, [100, 240]), 0.5);
    expect(s.score).toEqual([0, 1]);
    expect(s.serveTo).toBe(0);
  });

  it('ends the round at winScore: records the winner and resets the score', () => {
    const s0: PongState = { ...inPlay({ x: 700, y: 100, vx: 600, vy: 0 }, [240, 400]), score: [6, 3] };
    const s = run(s0, 0.5);
    expect(s.lastWinner).toBe(0);
    expect(s.score).toEqual([0, 0]);
  });

  it('does not tunnel through a paddle on a long frame', () => {
    const face = 800 - PADDLE_INSET - PADDLE_WIDTH;
    const s = step(inPlay({ x: face - 30, y: 240, vx: 900, vy: 0 }, [240, 240]), 0, 0, 0.2);
    expect(s.ball.vx).toBeLessThan(0);
    expect(s.score).toEqual([0, 0]);
  });

  it('keeps the ball and paddles inside the field for any input sequence', () => {
    let seed = 99;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    let s = createPong(5);
    let [minP, maxP, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < 20_000; i++) {
      s = step(s, rand(), rand(), DT * (1 + Math.abs(rand())));
      minP = Math.min(minP, ...s.paddles);
      maxP = Math.max(maxP, ...s.paddles);
      minY = Math.min(minY, s.ball.y);
      maxY = Math.max(maxY, s.ball.y);
    }
    expect(minP).toBeGreaterThanOrEqual(PADDLE_HEIGHT / 2);
    expect(maxP).toBeLessThanOrEqual(s.height - PADDLE_HEIGHT / 2);
    expect(minY).toBeGreaterThanOrEqual(0);
    expect(maxY).toBeLessThanOrEqual(s.height);
    expect(s.score[0] + s.score[1] + (s.lastWinner === null ? 0 : 1)).toBeGreaterThan(0);
  });
});
