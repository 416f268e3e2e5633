import type { PongState } from './pong';

/** What a renderer needs; both a full {@link PongState} and a received {@link PongSnapshot} fit. */
export interface PongView {
  readonly width: number;
  readonly height: number;
  readonly paddles: readonly [number, number];
  readonly ball: { readonly x: number; readonly y: number };
  readonly score: readonly [number, number];
  readonly serveIn: number;
  readonly lastWinner: 0 | 1 | null;
}

/** The compact state the host broadcasts to guests (rounded: guests only draw it). */
export interface PongSnapshot extends PongView {
  readonly kind: 'pong';
  readonly tick: number;
}

const r1 = (v: number) => Math.round(v * 10) / 10;

/** Makes the broadcast snapshot of a game state. */
export function toSnapshot(state: PongState): PongSnapshot {
  return {
    kind: 'pong',
    tick: state.tick,
    width: state.width,
    height: state.height,
    paddles: [r1(state.paddles[0]), r1(state.paddles[1])],
    ball: { x: r1(state.ball.x), y: r1(state.ball.y) },
    score: [state.score[0], state.score[1]],
    serveIn: r1(state.serveIn),
    lastWinner: state.lastWinner,
  };
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const pair = (v: unknown): v is [number, number] => Array.isArray(v) && v.length === 2 && num(v[0]) && num(v[1]);

/**
 * Validates a snapshot received from the network. Anything malformed gives `undefined`, so a
 * guest keeps drawing the last good frame instead of crashing.
 */
export function parseSnapshot(value: unknown): PongSnapshot | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const ball = v.ball as Record<string, unknown> | undefined;
  if (v.kind !== 'pong' || !num(v.tick) || !num(v.width) || !num(v.height) || v.width <= 0 || v.height <= 0) {
    return undefined;
  }
  if (!pair(v.paddles) || !pair(v.score) || !num(v.serveIn)) return undefined;
  if (typeof ball !== 'object' || ball === null || !num(ball.x) || !num(ball.y)) return undefined;
  const lastWinner = v.lastWinner === 0 || v.lastWinner === 1 ? v.lastWinner : null;
  return {
    kind: 'pong',
    tick: v.tick,
    width: v.width,
    height: v.height,
    paddles: [v.paddles[0], v.paddles[1]],
    ball: { x: ball.x, y: ball.y },
    score: [v.score[0], v.score[1]],
    serveIn: v.serveIn,
    lastWinner,
  };
}
