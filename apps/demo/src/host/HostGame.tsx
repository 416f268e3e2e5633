import { keyboardInput, type Connection, type HostRoom } from '@coplay/core';
import { useEffect, useRef } from 'react';
import { paddleFromPad } from '../game/controls';
import { createGameLoop } from '../game/createGameLoop';
import { createPong } from '../game/pong';
import { renderPong } from '../game/render';
import { toSnapshot } from '../game/snapshot';
import { exposeDemo } from '../shared/exposeDemo';

/** Guests get the game state at this rate (they only draw it; the host simulates at 120 Hz). */
const BROADCAST_INTERVAL_MS = 33;

/**
 * The host's game: simulates Pong with P1 on this keyboard and P2 on the room's slot-2 controller,
 * draws it, and broadcasts snapshots so guests can mirror it.
 */
export function HostGame({ host, connection }: { host: HostRoom; connection: Connection }) {
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    // P1: this keyboard through the same input source guests use (W/S = left stick, arrows = d-pad).
    const keys = keyboardInput(window);
    let lastBroadcast = 0;
    const p2Present = () => host.players.value.some((p) => p.slot === 2 && p.status === 'playing');
    const loop = createGameLoop({
      initial: createPong((Date.now() & 0xffff) + 1),
      // Read synchronously from the room every tick: no React render sits in the input path.
      readInputs: () => [paddleFromPad(keys.state), paddleFromPad(host.input(2).value)],
      onFrame: (state) => {
        const idle = !p2Present();
        renderPong(ctx, state, {
          labels: ['P1 · keyboard', idle ? 'P2 · waiting' : 'P2 · remote'],
          p2Idle: idle,
        });
        const now = performance.now();
        if (now - lastBroadcast >= BROADCAST_INTERVAL_MS) {
          lastBroadcast = now;
          // Latest wins: a snapshot dropped while offline is replaced by the next one anyway.
          host.broadcast(toSnapshot(state)).catch(() => {});
        }
      },
    });
    const unexpose = exposeDemo({
      role: 'host',
      get connection() {
        return connection.state.value.status;
      },
      get game() {
        return toSnapshot(loop.state);
      },
      get p2Input() {
        return host.input(2).value;
      },
      get players() {
        return host.players.value;
      },
    });
    return () => {
      unexpose();
      loop.stop();
      keys.dispose();
    };
  }, [host, connection]);

  return (
    <div>
      <canvas ref={canvas} className="game" width={800} height={480} data-testid="game-canvas" />
      <p className="hint">
        P1: <kbd>W</kbd>/<kbd>S</kbd> or <kbd>↑</kbd>/<kbd>↓</kbd> on this keyboard · P2: the guest's d-pad or left stick.
        First to 7 wins the round.
      </p>
    </div>
  );
}
