import { sanitizeInput, type PaddleInput } from './pong';

/** The part of a coplay `ControllerState` the game reads (W3C standard gamepad mapping). */
export interface PadLike {
  readonly buttons: number;
  readonly axes: readonly number[];
}

/** W3C standard mapping: d-pad up and down. */
export const DPAD_UP = 12;
export const DPAD_DOWN = 13;
/** Stick values inside this radius count as centred (worn sticks drift). */
export const STICK_DEADZONE = 0.2;

/** A paddle command from a controller: the d-pad wins, otherwise the left stick's y axis. */
export function paddleFromPad(pad: PadLike | undefined): PaddleInput {
  if (!pad) return 0;
  const up = (pad.buttons & (1 << DPAD_UP)) !== 0;
  const down = (pad.buttons & (1 << DPAD_DOWN)) !== 0;
  if (up !== down) return up ? -1 : 1;
  const ly = sanitizeInput(pad.axes[1] ?? 0);
  return Math.abs(ly) < STICK_DEADZONE ? 0 : ly;
}
