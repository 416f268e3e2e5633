import { step, type PaddleInput, type PongState } from './pong';

/** Simulation rate: fixed, so the match plays the same at any display refresh rate. */
export const TICK_SECONDS = 1 / 120;

export interface GameLoopOptions {
  initial: PongState;
  /** Read once per simulation tick: [P1, P2]. */
  readInputs: () => readonly [PaddleInput, PaddleInput];
  /** Called after each animation frame that advanced the game. */
  onFrame: (state: PongState) => void;
  /** Injected in tests; default `performance.now()` (ms). */
  now?: () => number;
  /** Injected in tests; default requestAnimationFrame, or a timer while the tab is hidden. */
  requestFrame?: (cb: () => void) => () => void;
}

export interface GameLoop {
  readonly state: PongState;
  /** Replaces the state (e.g. a new match). */
  reset(state: PongState): void;
  stop(): void;
}

function defaultRequestFrame(cb: () => void): () => void {
  // rAF stops in hidden tabs; a host that streams from another window must keep simulating.
  if (typeof document !== 'undefined' && document.hidden) {
    const t = setTimeout(cb, 16);
    return () => clearTimeout(t);
  }
  const id = requestAnimationFrame(cb);
  return () => cancelAnimationFrame(id);
}

/** Runs {@link step} at a fixed rate from a frame callback (accumulator pattern). */
export function createGameLoop(options: GameLoopOptions): GameLoop {
  const now = options.now ?? (() => performance.now());
  const requestFrame = options.requestFrame ?? defaultRequestFrame;
  let state = options.initial;
  let last = now();
  let acc = 0;
  let cancel: (() => void) | undefined;
  let stopped = false;

  const frame = () => {
    if (stopped) return;
    const t = now();
    // Clamp: after a long stall we skip ahead instead of simulating seconds in one frame.
    acc += Math.min((t - last) / 1000, 0.25);
    last = t;
    let advanced = false;
    while (acc >= TICK_SECONDS) {
      const [p1, p2] = options.readInputs();
      state = step(state, p1, p2, TICK_SECONDS);
      acc -= TICK_SECONDS;
      advanced = true;
    }
    if (advanced) options.onFrame(state);
    cancel = requestFrame(frame);
  };
  cancel = requestFrame(frame);

  return {
    get state() {
      return state;
    },
    reset(next) {
      state = next;
    },
    stop() {
      stopped = true;
      cancel?.();
    },
  };
}
