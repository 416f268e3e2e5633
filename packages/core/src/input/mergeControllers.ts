import type { ControllerState } from './ControllerState';

const stronger = (a: number, b: number) => (Math.abs(b) > Math.abs(a) ? b : a);

/**
 * One controller from two (keyboard + gamepad): buttons are OR-ed, each axis takes the value
 * pushed further, each trigger the larger. Lets a guest switch devices without a setting.
 *
 * @example
 * combineLatest([keyboard.state$, pad.state$]).pipe(map(([k, p]) => mergeControllers(k, p)))
 */
export function mergeControllers(a: ControllerState, b: ControllerState): ControllerState {
  return {
    buttons: a.buttons | b.buttons,
    axes: [
      stronger(a.axes[0], b.axes[0]),
      stronger(a.axes[1], b.axes[1]),
      stronger(a.axes[2], b.axes[2]),
      stronger(a.axes[3], b.axes[3]),
    ],
    triggers: [Math.max(a.triggers[0], b.triggers[0]), Math.max(a.triggers[1], b.triggers[1])],
  };
}
