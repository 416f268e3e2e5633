import { animationFrames, BehaviorSubject, interval, type Observable, type SchedulerLike } from 'rxjs';
import { CoplayError } from '../errors/CoplayError';
import { NEUTRAL, statesEqual, type ControllerState } from './ControllerState';
import type { InputSource } from './InputSource';

/** Options of {@link gamepadInput}. */
export interface GamepadInputOptions {
  /** Radial deadzone for each stick, 0..<1; the live range is rescaled to start at 0. Default 0.15. */
  deadzone?: number;
  /**
   * Poll on this scheduler at `pollHz` instead of `requestAnimationFrame` (tests inject a
   * virtual one; a game loop may pass its own).
   */
  scheduler?: SchedulerLike;
  /** Polls per second with a `scheduler`, or without `requestAnimationFrame`. Default 60. */
  pollHz?: number;
}

/** A gamepad as a controller. */
export interface GamepadInput extends InputSource {
  /** Whether a pad is present at the index; replays the current value. */
  readonly connected$: Observable<boolean>;
  readonly connected: boolean;
}

type PadLike = Pick<Gamepad, 'buttons' | 'axes' | 'connected'>;

function stick(x: number, y: number, deadzone: number): [number, number] {
  const magnitude = Math.hypot(x, y);
  if (!(magnitude > deadzone)) return [0, 0]; // also catches NaN
  const scaled = Math.min(1, (magnitude - deadzone) / (1 - deadzone)) / magnitude;
  const clamp = (v: number) => Math.max(-1, Math.min(1, v)) + 0;
  return [clamp(x * scaled), clamp(y * scaled)];
}

/** Reads a W3C standard-mapping pad into a controller state. */
function readPad(pad: PadLike, deadzone: number): ControllerState {
  let buttons = 0;
  const count = Math.min(17, pad.buttons.length);
  for (let i = 0; i < count; i++) if (pad.buttons[i]?.pressed) buttons |= 1 << i;
  const axis = (i: number) => {
    const v = pad.axes[i];
    return typeof v === 'number' && Number.isFinite(v) ? v : 0;
  };
  const trigger = (i: number) => {
    const v = pad.buttons[i]?.value;
    return typeof v === 'number' && Number.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0;
  };
  const [lx, ly] = stick(axis(0), axis(1), deadzone);
  const [rx, ry] = stick(axis(2), axis(3), deadzone);
  return { buttons, axes: [lx, ly, rx, ry], triggers: [trigger(6), trigger(7)] };
}

/**
 * A gamepad as a controller, read with the W3C standard mapping (buttons 0–16, axes 0–3, analog
 * triggers from buttons 6/7) and a radial stick deadzone. Polls `navigator.getGamepads()` on
 * every animation frame (or on `options.scheduler`). Goes NEUTRAL at once on
 * `gamepaddisconnected`. Without `navigator.getGamepads` (server rendering, old browsers) it stays
 * NEUTRAL and disconnected.
 *
 * Pads with a non-standard mapping are read the same way, which is right for most XInput pads.
 * @param index which pad (`Gamepad.index`). Default 0.
 * @throws CoplayError `INVALID_OPTIONS` for a bad index, deadzone or poll rate.
 */
export function gamepadInput(index = 0, options: GamepadInputOptions = {}): GamepadInput {
  const deadzone = options.deadzone ?? 0.15;
  const pollHz = options.pollHz ?? 60;
  if (!Number.isInteger(index) || index < 0) throw new CoplayError('INVALID_OPTIONS', `Gamepad index must be an integer >= 0, got ${index}`);
  if (!(deadzone >= 0 && deadzone < 1)) throw new CoplayError('INVALID_OPTIONS', `deadzone must be in [0, 1), got ${deadzone}`);
  if (!(pollHz > 0 && pollHz <= 1000)) throw new CoplayError('INVALID_OPTIONS', `pollHz must be in (0, 1000], got ${pollHz}`);

  const subject = new BehaviorSubject<ControllerState>(NEUTRAL);
  const connected = new BehaviorSubject(false);
  const nav = typeof navigator === 'undefined' ? undefined : navigator;
  const win = typeof window === 'undefined' ? undefined : window;
  let disposed = false;

  const poll = () => {
    let pad: PadLike | null | undefined;
    try {
      pad = nav?.getGamepads?.()[index];
    } catch {
      pad = undefined; // e.g. a permissions policy forbids the Gamepad API
    }
    const present = !!pad && pad.connected !== false;
    if (present !== connected.value) connected.next(present);
    const next = present ? readPad(pad!, deadzone) : NEUTRAL;
    if (!statesEqual(next, subject.value)) subject.next(next);
  };

  const ticks: Observable<unknown> =
    options.scheduler !== undefined || typeof requestAnimationFrame !== 'function'
      ? interval(1000 / pollHz, options.scheduler)
      : animationFrames();
  const polling =
    typeof nav?.getGamepads === 'function'
      ? ticks.subscribe(poll)
      : undefined;

  const onDisconnected = (event: Event) => {
    const pad = (event as GamepadEvent).gamepad;
    if (pad && pad.index !== index) return;
    if (connected.value) connected.next(false);
    if (!statesEqual(subject.value, NEUTRAL)) subject.next(NEUTRAL);
  };
  win?.addEventListener('gamepaddisconnected', onDisconnected);
  if (polling) poll();

  return {
    state$: subject.asObservable(),
    get state() {
      return subject.value;
    },
    connected$: connected.asObservable(),
    get connected() {
      return connected.value;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      polling?.unsubscribe();
      win?.removeEventListener('gamepaddisconnected', onDisconnected);
      if (!statesEqual(subject.value, NEUTRAL)) subject.next(NEUTRAL);
      subject.complete();
      connected.complete();
    },
  };
}
