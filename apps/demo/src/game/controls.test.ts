import { describe, expect, it } from 'vitest';
import { DPAD_DOWN, DPAD_UP, paddleFromPad } from './controls';

describe('paddleFromPad', () => {
  const neutral = { buttons: 0, axes: [0, 0, 0, 0] };
  it('reads the d-pad', () => {
    expect(paddleFromPad({ ...neutral, buttons: 1 << DPAD_UP })).toBe(-1);
    expect(paddleFromPad({ ...neutral, buttons: 1 << DPAD_DOWN })).toBe(1);
    expect(paddleFromPad({ ...neutral, buttons: (1 << DPAD_UP) | (1 << DPAD_DOWN) })).toBe(0);
  });
  it('falls back to the left stick with a deadzone', () => {
    expect(paddleFromPad({ buttons: 0, axes: [0, 0.5, 0, 0] })).toBe(0.5);
    expect(paddleFromPad({ buttons: 0, axes: [0, -0.1, 0, 0] })).toBe(0);
    expect(paddleFromPad({ buttons: 0, axes: [0, 7, 0, 0] })).toBe(1);
    expect(paddleFromPad({ buttons: 0, axes: [0, Number.NaN, 0, 0] })).toBe(0);
  });
  it('the d-pad wins over the stick', () => {
    expect(paddleFromPad({ buttons: 1 << DPAD_UP, axes: [0, 1, 0, 0] })).toBe(-1);
  });
  it('no controller means still', () => {
    expect(paddleFromPad(undefined)).toBe(0);
    expect(paddleFromPad(neutral)).toBe(0);
  });
});
