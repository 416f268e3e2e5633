import { describe, expect, it } from 'vitest';
import { NEUTRAL } from './ControllerState';
import { gamepadInput } from './gamepadInput';
import { keyboardInput } from './keyboardInput';

// Runs in the node environment: no window, document or navigator.getGamepads.
describe('input sources without a DOM (server rendering)', () => {
  it('can be created and stay neutral', () => {
    expect(typeof window).toBe('undefined');
    const keys = keyboardInput();
    const pad = gamepadInput();
    expect(keys.state).toEqual(NEUTRAL);
    expect(pad.state).toEqual(NEUTRAL);
    expect(pad.connected).toBe(false);
    keys.dispose();
    pad.dispose();
  });
});
