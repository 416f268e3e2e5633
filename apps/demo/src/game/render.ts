import { BALL_SIZE, PADDLE_HEIGHT, PADDLE_INSET, PADDLE_WIDTH } from './pong';
import type { PongView } from './snapshot';

export interface RenderOptions {
  /** Names drawn under each score. */
  labels?: readonly [string, string];
  /** A line of text in the middle of the field (e.g. "waiting for player 2"). */
  banner?: string;
  /** Dims P2's paddle (nobody is driving it). */
  p2Idle?: boolean;
}

const BG = '#0f172a';
const FG = '#e2e8f0';
const P1 = '#38bdf8';
const P2 = '#f472b6';

/**
 * Draws a game view on a canvas whose backing store matches the field size; CSS scales it.
 * Only reads the view, so host (full state) and guest (broadcast snapshot) share it.
 */
export function renderPong(ctx: CanvasRenderingContext2D, view: PongView, options: RenderOptions = {}): void {
  const { width, height } = view;
  if (ctx.canvas.width !== width) ctx.canvas.width = width;
  if (ctx.canvas.height !== height) ctx.canvas.height = height;

  ctx.fillStyle = BG;
  ctx.fillRect(0, 0, width, height);

  // Centre line.
  ctx.fillStyle = 'rgba(226,232,240,0.25)';
  for (let y = 8; y < height; y += 28) ctx.fillRect(width / 2 - 2, y, 4, 14);

  // Scores and labels.
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.font = 'bold 56px ui-monospace, SFMono-Regular, Menlo, monospace';
  ctx.fillStyle = P1;
  ctx.fillText(String(view.score[0]), width / 4, 24);
  ctx.fillStyle = P2;
  ctx.fillText(String(view.score[1]), (width * 3) / 4, 24);
  if (options.labels) {
    ctx.font = '16px system-ui, sans-serif';
    ctx.fillStyle = 'rgba(226,232,240,0.7)';
    ctx.fillText(options.labels[0], width / 4, 86);
    ctx.fillText(options.labels[1], (width * 3) / 4, 86);
  }

  // Paddles.
  const half = PADDLE_HEIGHT / 2;
  ctx.fillStyle = P1;
  roundRect(ctx, PADDLE_INSET, view.paddles[0] - half, PADDLE_WIDTH, PADDLE_HEIGHT);
  ctx.globalAlpha = options.p2Idle ? 0.35 : 1;
  ctx.fillStyle = P2;
  roundRect(ctx, width - PADDLE_INSET - PADDLE_WIDTH, view.paddles[1] - half, PADDLE_WIDTH, PADDLE_HEIGHT);
  ctx.globalAlpha = 1;

  // Ball.
  ctx.fillStyle = FG;
  ctx.beginPath();
  ctx.arc(view.ball.x, view.ball.y, BALL_SIZE / 2, 0, Math.PI * 2);
  ctx.fill();

  const banner =
    options.banner ??
    (view.serveIn > 0 && view.lastWinner !== null && view.score[0] + view.score[1] === 0
      ? `${view.lastWinner === 0 ? 'P1' : 'P2'} wins the round!`
      : undefined);
  if (banner) {
    ctx.font = '600 22px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    const w = ctx.measureText(banner).width + 40;
    ctx.fillStyle = 'rgba(15,23,42,0.85)';
    ctx.fillRect(width / 2 - w / 2, height / 2 + 40, w, 44);
    ctx.fillStyle = FG;
    ctx.fillText(banner, width / 2, height / 2 + 62);
  }
}

function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number): void {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, 4);
  ctx.fill();
}
