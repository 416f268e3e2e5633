import type { ButtonName } from './ControllerState';

/**
 * What a key drives: a standard button by name (`'LT'`/`'RT'` also set the analog trigger to 1),
 * or one direction of a stick axis (`'LX-'` is left stick left, `'LY-'` left stick up).
 */
export type KeyBinding =
  | ButtonName
  | 'LX-'
  | 'LX+'
  | 'LY-'
  | 'LY+'
  | 'RX-'
  | 'RX+'
  | 'RY-'
  | 'RY+';

/** `KeyboardEvent.code` → binding. Codes name physical keys, so WASD stays WASD on AZERTY. */
export type KeyMap = Readonly<Record<string, KeyBinding>>;

/**
 * The default keyboard layout:
 * arrows → d-pad, WASD → left stick, numpad 8/4/5/6 → right stick, J/K/U/I → A/B/X/Y,
 * Space → A, Q/E → bumpers, Z/C → triggers, Enter → Start, Right Shift → Select, H → Home,
 * F/G → left/right stick click.
 */
export const DEFAULT_KEY_MAP: KeyMap = Object.freeze({
  ArrowUp: 'UP',
  ArrowDown: 'DOWN',
  ArrowLeft: 'LEFT',
  ArrowRight: 'RIGHT',
  KeyW: 'LY-',
  KeyS: 'LY+',
  KeyA: 'LX-',
  KeyD: 'LX+',
  Numpad8: 'RY-',
  Numpad5: 'RY+',
  Numpad4: 'RX-',
  Numpad6: 'RX+',
  KeyJ: 'A',
  Space: 'A',
  KeyK: 'B',
  KeyU: 'X',
  KeyI: 'Y',
  KeyQ: 'LB',
  KeyE: 'RB',
  KeyZ: 'LT',
  KeyC: 'RT',
  Enter: 'START',
  ShiftRight: 'SELECT',
  KeyH: 'HOME',
  KeyF: 'LS',
  KeyG: 'RS',
} satisfies Record<string, KeyBinding>);
