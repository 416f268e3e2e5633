// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { Button, NEUTRAL, isPressed, type ControllerState } from './ControllerState';
import { DEFAULT_KEY_MAP } from './DEFAULT_KEY_MAP';
import { keyboardInput, type KeyboardInput } from './keyboardInput';

const down = (code: string, target: EventTarget = window, init: KeyboardEventInit = {}) => {
  const e = new KeyboardEvent('keydown', { code, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(e);
  return e;
};
const up = (code: string, target: EventTarget = window) =>
  target.dispatchEvent(new KeyboardEvent('keyup', { code, bubbles: true, cancelable: true }));

let source: KeyboardInput | undefined;
afterEach(() => {
  source?.dispose();
  source = undefined;
  document.body.innerHTML = '';
});

describe('keyboardInput', () => {
  it('maps arrows to the d-pad, WASD to the left stick and face keys to buttons', () => {
    source = keyboardInput();
    const seen: ControllerState[] = [];
    source.state$.subscribe((s) => seen.push(s));
    expect(source.state).toEqual(NEUTRAL);
    down('ArrowUp');
    down('KeyJ');
    down('KeyD');
    down('KeyW');
    expect(isPressed(source.state, 'UP')).toBe(true);
    expect(isPressed(source.state, Button.A)).toBe(true);
    expect(source.state.axes).toEqual([1, -1, 0, 0]);
    up('ArrowUp');
    up('KeyJ');
    up('KeyD');
    up('KeyW');
    expect(source.state).toEqual(NEUTRAL);
    expect(seen.length).toBe(9); // initial + one per change
  });

  it('sets trigger values with the trigger keys and cancels opposite directions', () => {
    source = keyboardInput();
    down('KeyZ');
    expect(source.state.triggers).toEqual([1, 0]);
    expect(isPressed(source.state, 'LT')).toBe(true);
    down('KeyA');
    down('KeyD');
    expect(source.state.axes[0]).toBe(0);
    up('KeyD');
    expect(source.state.axes[0]).toBe(-1);
  });

  it('ignores auto-repeat, prevents default on mapped keys only', () => {
    source = keyboardInput();
    const seen: ControllerState[] = [];
    source.state$.subscribe((s) => seen.push(s));
    expect(down('Space').defaultPrevented).toBe(true);
    down('Space', window, { repeat: true });
    expect(seen.length).toBe(2);
    expect(down('KeyP').defaultPrevented).toBe(false);
  });

  it('releases every held key on window blur and when the tab is hidden', () => {
    source = keyboardInput();
    down('KeyJ');
    window.dispatchEvent(new Event('blur'));
    expect(source.state).toEqual(NEUTRAL);
    down('KeyK');
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    expect(source.state).toEqual(NEUTRAL);
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
  });

  it('ignores typing in text fields but still releases on keyup there', () => {
    source = keyboardInput();
    const input = document.createElement('input');
    document.body.append(input);
    down('KeyJ', input);
    expect(source.state).toEqual(NEUTRAL);
    down('KeyJ');
    up('KeyJ', input);
    expect(source.state).toEqual(NEUTRAL);
  });

  it('listens on a given target only', () => {
    const canvas = document.createElement('canvas');
    document.body.append(canvas);
    source = keyboardInput(canvas);
    down('KeyJ', document.body);
    expect(source.state).toEqual(NEUTRAL);
    down('KeyJ', canvas);
    expect(isPressed(source.state, 'A')).toBe(true);
  });

  it('rebinds keys, replaces the map and refuses unknown bindings', () => {
    source = keyboardInput(window, { KeyX: 'B' });
    down('KeyX');
    expect(isPressed(source.state, 'B')).toBe(true);
    source.bind('KeyX', 'Y'); // applies to the held key at once
    expect(isPressed(source.state, 'Y')).toBe(true);
    expect(isPressed(source.state, 'B')).toBe(false);
    source.bind('KeyX', null);
    expect(source.state).toEqual(NEUTRAL);
    expect(source.map).toEqual({});
    source.setMap(DEFAULT_KEY_MAP);
    expect(source.map.KeyJ).toBe('A');
    expect(() => source!.bind('KeyX', 'JUMP' as never)).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => keyboardInput(window, { KeyX: 'nope' as never })).toThrowError(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });

  it('captures the next key for a rebinding UI without pressing anything', async () => {
    source = keyboardInput();
    const next = source.captureNextKey();
    down('KeyJ');
    await expect(next).resolves.toBe('KeyJ');
    expect(source.state).toEqual(NEUTRAL);
    const ac = new AbortController();
    const aborted = source.captureNextKey(ac.signal);
    ac.abort(new Error('cancelled'));
    await expect(aborted).rejects.toThrow('cancelled');
    const pending = source.captureNextKey();
    source.dispose();
    await expect(pending).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('goes neutral, completes and stops listening when disposed', () => {
    source = keyboardInput();
    let completed = false;
    source.state$.subscribe({ complete: () => (completed = true) });
    down('KeyJ');
    source.dispose();
    expect(source.state).toEqual(NEUTRAL);
    expect(completed).toBe(true);
    down('KeyK');
    expect(source.state).toEqual(NEUTRAL);
  });
});
