// @vitest-environment jsdom
import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Button, NEUTRAL, isPressed, type ControllerState } from './ControllerState';
import { gamepadInput, type GamepadInput } from './gamepadInput';

// jsdom has no Gamepad API and there is no physical pad here: this stub is the input device.
interface FakePad {
  index: number;
  connected: boolean;
  mapping: string;
  buttons: Array<{ pressed: boolean; value: number }>;
  axes: number[];
}
let pads: Array<FakePad | null> = [];
const newPad = (index = 0): FakePad => ({
  index,
  connected: true,
  mapping: 'standard',
  buttons: Array.from({ length: 17 }, () => ({ pressed: false, value: 0 })),
  axes: [0, 0, 0, 0],
});

function virtualClock() {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);
  const advance = (ms: number) => {
    const t = scheduler.now() + ms;
    scheduler.schedule(() => {}, ms);
    scheduler.maxFrames = t;
    scheduler.flush();
  };
  return { scheduler, advance };
}

let source: GamepadInput | undefined;
beforeEach(() => {
  pads = [];
  Object.defineProperty(navigator, 'getGamepads', { value: () => pads, configurable: true });
});
afterEach(() => {
  source?.dispose();
  source = undefined;
});

describe('gamepadInput', () => {
  it('polls the pad with the standard mapping on the given scheduler', () => {
    const { scheduler, advance } = virtualClock();
    const pad = newPad();
    pads = [pad];
    source = gamepadInput(0, { scheduler, pollHz: 100 });
    expect(source.connected).toBe(true);
    expect(source.state).toEqual(NEUTRAL);
    pad.buttons[Button.A] = { pressed: true, value: 1 };
    pad.buttons[Button.HOME] = { pressed: true, value: 1 };
    pad.buttons[Button.RT] = { pressed: true, value: 0.6 };
    pad.axes = [1, 0, 0, -1];
    expect(source.state).toEqual(NEUTRAL); // not polled yet
    advance(10);
    expect(isPressed(source.state, 'A')).toBe(true);
    expect(isPressed(source.state, 'HOME')).toBe(true);
    expect(isPressed(source.state, 'RT')).toBe(true);
    expect(source.state.triggers).toEqual([0, 0.6]);
    expect(source.state.axes).toEqual([1, 0, 0, -1]);
  });

  it('applies a radial deadzone and rescales the live range', () => {
    const { scheduler, advance } = virtualClock();
    const pad = newPad();
    pads = [pad];
    source = gamepadInput(0, { scheduler, deadzone: 0.2 });
    pad.axes = [0.1, 0.1, 0.15, 0];
    advance(20);
    expect(source.state.axes).toEqual([0, 0, 0, 0]); // stick drift stays silent
    pad.axes = [0.6, 0, 0, 1];
    advance(20);
    expect(source.state.axes[0]).toBeCloseTo(0.5, 6);
    expect(source.state.axes[3]).toBe(1);
  });

  it('emits only on change', () => {
    const { scheduler, advance } = virtualClock();
    const pad = newPad();
    pads = [pad];
    source = gamepadInput(0, { scheduler });
    const seen: ControllerState[] = [];
    source.state$.subscribe((s) => seen.push(s));
    advance(200);
    pad.buttons[0] = { pressed: true, value: 1 };
    advance(200);
    expect(seen.length).toBe(2);
  });

  it('reads the pad at its index and is neutral and disconnected without one', () => {
    const { scheduler, advance } = virtualClock();
    source = gamepadInput(1, { scheduler });
    expect(source.connected).toBe(false);
    const other = newPad(0);
    other.buttons[0] = { pressed: true, value: 1 };
    pads = [other, null];
    advance(20);
    expect(source.state).toEqual(NEUTRAL);
    const mine = newPad(1);
    mine.buttons[1] = { pressed: true, value: 1 };
    pads = [other, mine];
    advance(20);
    expect(source.connected).toBe(true);
    expect(isPressed(source.state, 'B')).toBe(true);
  });

  it('goes neutral at once on gamepaddisconnected, and when the pad vanishes', () => {
    const { scheduler, advance } = virtualClock();
    const pad = newPad();
    pad.buttons[0] = { pressed: true, value: 1 };
    pads = [pad];
    source = gamepadInput(0, { scheduler });
    expect(isPressed(source.state, 'A')).toBe(true);
    window.dispatchEvent(Object.assign(new Event('gamepaddisconnected'), { gamepad: { index: 3 } }));
    expect(isPressed(source.state, 'A')).toBe(true); // another pad
    window.dispatchEvent(Object.assign(new Event('gamepaddisconnected'), { gamepad: { index: 0 } }));
    expect(source.state).toEqual(NEUTRAL);
    expect(source.connected).toBe(false);
    pads = [];
    advance(20);
    expect(source.state).toEqual(NEUTRAL);
  });

  it('ignores non-finite axes and stops polling when disposed', () => {
    const { scheduler, advance } = virtualClock();
    const pad = newPad();
    pad.axes = [Number.NaN, 0, 0, 0];
    pads = [pad];
    source = gamepadInput(0, { scheduler });
    expect(source.state).toEqual(NEUTRAL);
    pad.buttons[0] = { pressed: true, value: 1 };
    advance(20);
    expect(isPressed(source.state, 'A')).toBe(true);
    source.dispose();
    expect(source.state).toEqual(NEUTRAL);
    expect(scheduler.actions.length).toBe(0);
  });

  it('refuses bad options with INVALID_OPTIONS', () => {
    expect(() => gamepadInput(-1)).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => gamepadInput(0, { deadzone: 1 })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => gamepadInput(0, { pollHz: 0 })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });
});
