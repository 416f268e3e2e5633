import { CoplayError } from '../errors/CoplayError';

/**
 * One controller's full state. Every input frame carries all of it, so a lost frame heals itself.
 *
 * - `buttons`: 17-bit mask in W3C Gamepad standard-mapping order (bit 0 = button 0 = A/cross,
 *   see {@link Button}).
 * - `axes`: `[leftX, leftY, rightX, rightY]`, each in -1..1 (up and left are negative).
 * - `triggers`: `[left, right]`, each in 0..1.
 */
export interface ControllerState {
  readonly buttons: number;
  readonly axes: readonly [number, number, number, number];
  readonly triggers: readonly [number, number];
}

/** Mask of the 17 standard buttons. */
export const ALL_BUTTONS = 0x1ffff;

/** No button held, sticks centred, triggers released. */
export const NEUTRAL: ControllerState = Object.freeze({
  buttons: 0,
  axes: Object.freeze([0, 0, 0, 0]) as unknown as readonly [number, number, number, number],
  triggers: Object.freeze([0, 0]) as unknown as readonly [number, number],
});

/**
 * W3C Gamepad standard-mapping button indexes. Test a button with
 * `state.buttons & (1 << Button.A)` or {@link isPressed}.
 */
export const Button = Object.freeze({
  A: 0,
  B: 1,
  X: 2,
  Y: 3,
  LB: 4,
  RB: 5,
  LT: 6,
  RT: 7,
  SELECT: 8,
  START: 9,
  LS: 10,
  RS: 11,
  UP: 12,
  DOWN: 13,
  LEFT: 14,
  RIGHT: 15,
  HOME: 16,
} as const);

/** Name of a standard button. */
export type ButtonName = keyof typeof Button;

/** `true` when `button` (index or name) is held in `state`. */
export function isPressed(state: ControllerState, button: number | ButtonName): boolean {
  const index = typeof button === 'number' ? button : Button[button];
  return (state.buttons & (1 << index)) !== 0;
}

/** `true` when both states are equal value by value. */
export function statesEqual(a: ControllerState, b: ControllerState): boolean {
  return (
    a === b ||
    (a.buttons === b.buttons &&
      a.axes[0] === b.axes[0] &&
      a.axes[1] === b.axes[1] &&
      a.axes[2] === b.axes[2] &&
      a.axes[3] === b.axes[3] &&
      a.triggers[0] === b.triggers[0] &&
      a.triggers[1] === b.triggers[1])
  );
}

/** `true` when nothing is held and every axis and trigger is at rest. */
export function isNeutral(state: ControllerState): boolean {
  return statesEqual(state, NEUTRAL);
}

const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);

/**
 * Checks a state handed in by an app and returns a clean copy: finite numbers are clamped into
 * range (a stick reporting 1.0000001 is fine), anything else is a caller bug.
 * @throws CoplayError `INVALID_PAYLOAD` for a missing field, a non-finite number or bits above 16.
 */
export function normalizeState(state: ControllerState): ControllerState {
  const bad = (why: string): never => {
    throw new CoplayError('INVALID_PAYLOAD', `Invalid controller state: ${why}`, { details: { state } });
  };
  if (state === null || typeof state !== 'object') bad('not an object');
  const { buttons, axes, triggers } = state;
  if (!Number.isInteger(buttons) || buttons < 0 || buttons > ALL_BUTTONS) {
    bad('buttons must be an integer mask of 17 bits');
  }
  if (!Array.isArray(axes) || axes.length !== 4) bad('axes must be [lx, ly, rx, ry]');
  if (!Array.isArray(triggers) || triggers.length !== 2) bad('triggers must be [left, right]');
  const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  if (!finite(axes[0]) || !finite(axes[1]) || !finite(axes[2]) || !finite(axes[3]) || !finite(triggers[0]) || !finite(triggers[1])) bad('non-finite number');
  return {
    buttons,
    axes: [clamp(axes[0], -1, 1), clamp(axes[1], -1, 1), clamp(axes[2], -1, 1), clamp(axes[3], -1, 1)],
    triggers: [clamp(triggers[0], 0, 1), clamp(triggers[1], 0, 1)],
  };
}
