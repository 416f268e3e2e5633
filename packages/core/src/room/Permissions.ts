import { ALL_BUTTONS, NEUTRAL, type ControllerState } from '../input/ControllerState';

/**
 * What a guest may control, as bit masks: bit i of `buttons` lets standard button i through,
 * bit i of `axes` lets axis i (`0` lx, `1` ly, `2` rx, `3` ry) through, bit i of `triggers`
 * lets trigger i through. Blocked buttons read as released, blocked axes and triggers as 0.
 */
export interface Permissions {
  readonly buttons: number;
  readonly axes: number;
  readonly triggers: number;
}

/** Everything allowed (the default). */
export const ALL_PERMISSIONS: Permissions = Object.freeze({ buttons: ALL_BUTTONS, axes: 0b1111, triggers: 0b11 });

/** Nothing allowed: guests are spectators until {@link HostRoom.setPermissions} grants input. */
export const NO_PERMISSIONS: Permissions = Object.freeze({ buttons: 0, axes: 0, triggers: 0 });

/** Applies a permission mask to a state (returns the same object when nothing is masked). */
export function applyPermissions(state: ControllerState, p: Permissions): ControllerState {
  if (p.buttons === ALL_BUTTONS && p.axes === 0b1111 && p.triggers === 0b11) return state;
  if (p.buttons === 0 && p.axes === 0 && p.triggers === 0) return NEUTRAL;
  const a = state.axes;
  const t = state.triggers;
  return {
    buttons: state.buttons & p.buttons,
    axes: [p.axes & 1 ? a[0] : 0, p.axes & 2 ? a[1] : 0, p.axes & 4 ? a[2] : 0, p.axes & 8 ? a[3] : 0],
    triggers: [p.triggers & 1 ? t[0] : 0, p.triggers & 2 ? t[1] : 0],
  };
}
