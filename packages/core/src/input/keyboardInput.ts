import { BehaviorSubject } from 'rxjs';
import { CoplayError } from '../errors/CoplayError';
import { Button, NEUTRAL, statesEqual, type ControllerState } from './ControllerState';
import { DEFAULT_KEY_MAP, type KeyBinding, type KeyMap } from './DEFAULT_KEY_MAP';
import type { InputSource } from './InputSource';

/** Options of {@link keyboardInput}. */
export interface KeyboardInputOptions {
  /** Call `preventDefault()` on mapped keys (stops arrows and Space from scrolling). Default true. */
  preventDefault?: boolean;
  /** Ignore key presses while the user types in an input, textarea, select or contenteditable. Default true. */
  ignoreEditable?: boolean;
}

/** A keyboard as a controller, with rebinding. */
export interface KeyboardInput extends InputSource {
  /** The key map in use. */
  readonly map: KeyMap;
  /** Binds a `KeyboardEvent.code` to a binding, or unbinds it with `null`. */
  bind(code: string, binding: KeyBinding | null): void;
  /** Replaces the whole map. */
  setMap(map: KeyMap): void;
  /**
   * Resolves with the `code` of the next key pressed (for a "press a key for A" UI); that key
   * press does not reach the controller state. Rejects with `signal.reason` when aborted and with
   * CoplayError `CLOSED` when the source is disposed.
   */
  captureNextKey(signal?: AbortSignal): Promise<string>;
}

const AXES: Record<string, [axis: number, sign: number]> = {
  'LX-': [0, -1],
  'LX+': [0, 1],
  'LY-': [1, -1],
  'LY+': [1, 1],
  'RX-': [2, -1],
  'RX+': [2, 1],
  'RY-': [3, -1],
  'RY+': [3, 1],
};

function checkBinding(code: string, binding: unknown): asserts binding is KeyBinding {
  if (typeof code !== 'string' || code.length === 0) {
    throw new CoplayError('INVALID_OPTIONS', `Key code must be a non-empty KeyboardEvent.code, got ${JSON.stringify(code)}`);
  }
  if (typeof binding !== 'string' || !(binding in Button || binding in AXES)) {
    throw new CoplayError('INVALID_OPTIONS', `Unknown key binding ${JSON.stringify(binding)} for ${code}`, {
      details: { code, binding, allowed: [...Object.keys(Button), ...Object.keys(AXES)] },
    });
  }
}

function checkMap(map: KeyMap): KeyMap {
  if (map === null || typeof map !== 'object') throw new CoplayError('INVALID_OPTIONS', 'Key map must be an object');
  for (const [code, binding] of Object.entries(map)) checkBinding(code, binding);
  return Object.freeze({ ...map });
}

function isEditable(target: EventTarget | null): boolean {
  const el = target as (HTMLElement & { isContentEditable?: boolean }) | null;
  if (!el || typeof el.tagName !== 'string') return false;
  return el.isContentEditable === true || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName);
}

/**
 * A keyboard as a controller, keyed by `KeyboardEvent.code`. Held keys are released when the
 * window loses focus or the tab is hidden (their keyup would never arrive), and on `dispose()`.
 * Without a DOM (server rendering) it returns an inert source that stays NEUTRAL.
 *
 * @param target where key events are heard. Default `window`.
 * @param map `code` → binding. Default {@link DEFAULT_KEY_MAP}.
 * @throws CoplayError `INVALID_OPTIONS` for an unknown binding in `map`.
 * @example
 * const keys = keyboardInput(window, { ...DEFAULT_KEY_MAP, KeyL: 'B' });
 * guest.attach(keys.state$);
 */
export function keyboardInput(
  target?: EventTarget,
  map: KeyMap = DEFAULT_KEY_MAP,
  options: KeyboardInputOptions = {},
): KeyboardInput {
  let currentMap = checkMap(map);
  const preventDefault = options.preventDefault ?? true;
  const ignoreEditable = options.ignoreEditable ?? true;
  const subject = new BehaviorSubject<ControllerState>(NEUTRAL);
  const held = new Set<string>();
  const captures = new Set<{ resolve: (code: string) => void; reject: (e: unknown) => void }>();
  let disposed = false;

  const win = typeof window === 'undefined' ? undefined : window;
  const doc = typeof document === 'undefined' ? undefined : document;
  const keyTarget = target ?? win;

  const recompute = () => {
    let buttons = 0;
    const axes = [0, 0, 0, 0];
    const triggers = [0, 0];
    for (const code of held) {
      const binding = currentMap[code];
      if (binding === undefined) continue;
      const axis = AXES[binding];
      if (axis) {
        axes[axis[0]]! += axis[1];
      } else {
        const index = Button[binding as keyof typeof Button];
        buttons |= 1 << index;
        if (index === Button.LT) triggers[0] = 1;
        if (index === Button.RT) triggers[1] = 1;
      }
    }
    // Opposite directions held together cancel out (and never exceed -1..1).
    const clamp = (v: number) => Math.max(-1, Math.min(1, v));
    const next: ControllerState = {
      buttons,
      axes: [clamp(axes[0]!), clamp(axes[1]!), clamp(axes[2]!), clamp(axes[3]!)],
      triggers: [triggers[0]!, triggers[1]!],
    };
    if (!statesEqual(next, subject.value)) subject.next(next);
  };

  const onKeyDown = (event: Event) => {
    const e = event as KeyboardEvent;
    if (captures.size > 0) {
      e.preventDefault();
      for (const c of captures) c.resolve(e.code);
      captures.clear();
      return;
    }
    if (currentMap[e.code] === undefined) return;
    if (ignoreEditable && isEditable(e.target)) return;
    if (preventDefault) e.preventDefault();
    if (held.has(e.code)) return; // auto-repeat
    held.add(e.code);
    recompute();
  };
  const onKeyUp = (event: Event) => {
    const e = event as KeyboardEvent;
    // Handled even inside an editable field, so focus moving into a text box releases the key.
    if (!held.delete(e.code)) return;
    if (preventDefault) e.preventDefault();
    recompute();
  };
  const releaseAll = () => {
    if (held.size === 0) return;
    held.clear();
    recompute();
  };
  const onVisibility = () => {
    if (doc?.visibilityState === 'hidden') releaseAll();
  };

  keyTarget?.addEventListener('keydown', onKeyDown);
  keyTarget?.addEventListener('keyup', onKeyUp);
  win?.addEventListener('blur', releaseAll);
  doc?.addEventListener('visibilitychange', onVisibility);

  return {
    state$: subject.asObservable(),
    get state() {
      return subject.value;
    },
    get map() {
      return currentMap;
    },
    bind(code, binding) {
      const next = { ...currentMap } as Record<string, KeyBinding>;
      if (binding === null) delete next[code];
      else {
        checkBinding(code, binding);
        next[code] = binding;
      }
      currentMap = Object.freeze(next);
      recompute();
    },
    setMap(next) {
      currentMap = checkMap(next);
      recompute();
    },
    captureNextKey(signal) {
      if (disposed) return Promise.reject(new CoplayError('CLOSED', 'Keyboard input is disposed'));
      return new Promise<string>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason as unknown);
        const entry = {
          resolve: (code: string) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(code);
          },
          reject,
        };
        const onAbort = () => {
          captures.delete(entry);
          reject(signal?.reason as unknown);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        captures.add(entry);
      });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      keyTarget?.removeEventListener('keydown', onKeyDown);
      keyTarget?.removeEventListener('keyup', onKeyUp);
      win?.removeEventListener('blur', releaseAll);
      doc?.removeEventListener('visibilitychange', onVisibility);
      for (const c of captures) c.reject(new CoplayError('CLOSED', 'Keyboard input is disposed'));
      captures.clear();
      held.clear();
      if (!statesEqual(subject.value, NEUTRAL)) subject.next(NEUTRAL);
      subject.complete();
    },
  };
}
