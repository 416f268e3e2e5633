/**
 * Deterministic two-player Pong. `step` is pure: the same state and inputs always give the same
 * next state (the serve angle comes from a seeded PRNG kept in the state), so the host's game can
 * be unit-tested without a canvas and replayed exactly.
 */

/** One paddle's intent for a step: -1 = up at full speed, 1 = down, 0 = still. */
export type PaddleInput = number;

export interface Ball {
  x: number;
  y: number;
  vx: number;
  vy: number;
}

export interface PongState {
  readonly width: number;
  readonly height: number;
  /** Centre y of the left (P1) and right (P2) paddles. */
  paddles: [number, number];
  ball: Ball;
  score: [number, number];
  /** Seconds left before the ball is served (0 while in play). */
  serveIn: number;
  /** The next serve goes towards this player: 0 = P1 (left), 1 = P2 (right). */
  serveTo: 0 | 1;
  /** Paddle hits in the current rally; the ball speeds up with each. */
  rally: number;
  /** Seeded PRNG state (mulberry32). */
  seed: number;
  /** Number of steps taken. */
  tick: number;
  /** First player to reach this score wins the round; scores then reset. */
  readonly winScore: number;
  /** Index of the last round's winner, for the UI; null while the first round runs. */
  lastWinner: 0 | 1 | null;
}

export const FIELD_WIDTH = 800;
export const FIELD_HEIGHT = 480;
export const PADDLE_HEIGHT = 90;
export const PADDLE_WIDTH = 12;
/** Distance of each paddle's face from its wall. */
export const PADDLE_INSET = 24;
export const BALL_SIZE = 12;
/** Paddle speed in field units per second at full input. */
export const PADDLE_SPEED = 420;
export const BALL_SPEED = 360;
export const BALL_SPEEDUP = 1.06;
export const BALL_MAX_SPEED = 900;
export const SERVE_DELAY = 1;
/** Largest bounce angle off a paddle edge, in radians. */
const MAX_BOUNCE = (Math.PI / 180) * 55;

/** A new match. `seed` picks the serve angles; the same seed gives the same match. */
export function createPong(seed = 1, winScore = 7): PongState {
  return {
    width: FIELD_WIDTH,
    height: FIELD_HEIGHT,
    paddles: [FIELD_HEIGHT / 2, FIELD_HEIGHT / 2],
    ball: { x: FIELD_WIDTH / 2, y: FIELD_HEIGHT / 2, vx: 0, vy: 0 },
    score: [0, 0],
    serveIn: SERVE_DELAY,
    serveTo: 1,
    rally: 0,
    seed: seed >>> 0,
    tick: 0,
    winScore,
    lastWinner: null,
  };
}

/** mulberry32: tiny, fast, good enough for serve angles; returns [value in [0,1), next seed]. */
function nextRandom(seed: number): [number, number] {
  const s = (seed + 0x6d2b79f5) >>> 0;
  let t = s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return [((t ^ (t >>> 14)) >>> 0) / 4294967296, s];
}

const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);

/** Input values outside -1..1 (or NaN from a broken controller) are clamped to a safe value. */
export function sanitizeInput(input: PaddleInput): PaddleInput {
  return Number.isFinite(input) ? clamp(input, -1, 1) : 0;
}

function movePaddle(y: number, input: PaddleInput, dt: number, height: number): number {
  const half = PADDLE_HEIGHT / 2;
  return clamp(y + sanitizeInput(input) * PADDLE_SPEED * dt, half, height - half);
}

/**
 * Advances the game by `dt` seconds. Pure: returns a new state and leaves `state` untouched.
 * Large `dt` values are split into sub-steps so a slow frame cannot tunnel the ball through a paddle.
 */
export function step(state: PongState, p1: PaddleInput, p2: PaddleInput, dt: number): PongState {
  if (!(dt > 0) || !Number.isFinite(dt)) return state;
  const maxSub = 1 / 240;
  let s = state;
  let left = Math.min(dt, 0.25); // a tab that slept for minutes must not fast-forward the match
  while (left > 1e-9) {
    const d = Math.min(left, maxSub);
    s = subStep(s, p1, p2, d);
    left -= d;
  }
  return { ...s, tick: state.tick + 1 };
}

function subStep(state: PongState, p1: PaddleInput, p2: PaddleInput, dt: number): PongState {
  const { width, height } = state;
  const paddles: [number, number] = [
    movePaddle(state.paddles[0], p1, dt, height),
    movePaddle(state.paddles[1], p2, dt, height),
  ];
  let { seed, rally, serveIn, serveTo, lastWinner } = state;
  let score: [number, number] = state.score;
  let ball: Ball = { ...state.ball };

  if (serveIn > 0) {
    serveIn = Math.max(0, serveIn - dt);
    ball = { x: width / 2, y: height / 2, vx: 0, vy: 0 };
    if (serveIn === 0) {
      let r: number;
      [r, seed] = nextRandom(seed);
      const angle = (r * 2 - 1) * (Math.PI / 180) * 35;
      const dir = serveTo === 1 ? 1 : -1;
      ball = { x: width / 2, y: height / 2, vx: dir * BALL_SPEED * Math.cos(angle), vy: BALL_SPEED * Math.sin(angle) };
    }
    return { ...state, paddles, ball, seed, serveIn, rally, score, serveTo, lastWinner };
  }

  ball.x += ball.vx * dt;
  ball.y += ball.vy * dt;
  const r = BALL_SIZE / 2;

  // Walls.
  if (ball.y - r < 0) {
    ball.y = r + (r - ball.y);
    ball.vy = Math.abs(ball.vy);
  } else if (ball.y + r > height) {
    ball.y = height - r - (ball.y + r - height);
    ball.vy = -Math.abs(ball.vy);
  }

  // Paddles: only the face towards the field counts, and only when the ball moves towards it.
  const leftFace = PADDLE_INSET + PADDLE_WIDTH;
  const rightFace = width - PADDLE_INSET - PADDLE_WIDTH;
  const hit = (paddleY: number) => Math.abs(ball.y - paddleY) <= PADDLE_HEIGHT / 2 + r;
  const bounce = (paddleY: number, dir: 1 | -1) => {
    const offset = clamp((ball.y - paddleY) / (PADDLE_HEIGHT / 2 + r), -1, 1);
    const speed = Math.min(Math.hypot(ball.vx, ball.vy) * BALL_SPEEDUP, BALL_MAX_SPEED);
    const angle = offset * MAX_BOUNCE;
    ball.vx = dir * speed * Math.cos(angle);
    ball.vy = speed * Math.sin(angle);
    rally += 1;
  };
  if (ball.vx < 0 && ball.x - r <= leftFace && ball.x - r >= leftFace - PADDLE_WIDTH - r && hit(paddles[0])) {
    ball.x = leftFace + r;
    bounce(paddles[0], 1);
  } else if (ball.vx > 0 && ball.x + r >= rightFace && ball.x + r <= rightFace + PADDLE_WIDTH + r && hit(paddles[1])) {
    ball.x = rightFace - r;
    bounce(paddles[1], -1);
  }

  // Goals.
  if (ball.x + r < 0 || ball.x - r > width) {
    const scorer = ball.x < 0 ? 1 : 0;
    score = scorer === 0 ? [score[0] + 1, score[1]] : [score[0], score[1] + 1];
    if (score[scorer] >= state.winScore) {
      lastWinner = scorer;
      score = [0, 0];
    }
    // The player who conceded receives the next serve.
    serveTo = scorer === 0 ? 1 : 0;
    serveIn = SERVE_DELAY;
    rally = 0;
    ball = { x: width / 2, y: height / 2, vx: 0, vy: 0 };
  }

  return { ...state, paddles, ball, score, seed, rally, serveIn, serveTo, lastWinner };
}
