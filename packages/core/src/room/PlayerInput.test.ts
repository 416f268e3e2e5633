import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../input/decodeFrame';
import { ALL_BUTTONS, NEUTRAL, statesEqual, type ControllerState } from '../input/ControllerState';
import { encodeFrame } from '../input/encodeFrame';
import { ALL_PERMISSIONS, NO_PERMISSIONS } from './Permissions';
import { PlayerInput, type PlayerInputOptions } from './PlayerInput';
import { concatBytes } from '@noble/hashes/utils';
import { Mac, seqBytes } from './roomCrypto';

function virtualClock() {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);
  const advanceTo = (t: number) => {
    scheduler.schedule(() => {}, t - scheduler.now());
    scheduler.maxFrames = t;
    scheduler.flush();
    scheduler.maxFrames = Number.POSITIVE_INFINITY;
  };
  return { scheduler, advanceTo, advance: (ms: number) => advanceTo(scheduler.now() + ms) };
}

const press = (buttons: number): ControllerState => ({ ...NEUTRAL, buttons });

function setup(overrides: Partial<PlayerInputOptions> = {}) {
  const clock = virtualClock();
  const log: string[] = [];
  const states: ControllerState[] = [];
  const input = new PlayerInput(
    {
      scheduler: clock.scheduler,
      silenceMs: 250,
      releaseMs: 5000,
      maxFramesPerSecond: 120,
      burst: 30,
      permissions: ALL_PERMISSIONS,
      session: 1,
      nextSeq: 0,
      ...overrides,
    },
    {
      state: (s) => states.push(s),
      status: (s) => log.push(`${clock.scheduler.now()}:${s}`),
      throttled: (f) => log.push(`${clock.scheduler.now()}:throttled=${f}`),
      released: () => log.push(`${clock.scheduler.now()}:released`),
    },
  );
  const frame = (seq: number, state: ControllerState = NEUTRAL, session = 1) =>
    input.receive(encodeFrame({ seq, state, session }));
  return { ...clock, input, log, states, frame };
}

describe('PlayerInput', () => {
  it('applies newer frames and drops duplicates and older ones across the wrap-around', () => {
    const { input, frame } = setup({ nextSeq: 65534 });
    expect(frame(65534, press(1))).toBe('applied');
    expect(frame(65534, press(2))).toBe('duplicate');
    expect(frame(65535, press(2))).toBe('applied');
    expect(frame(0, press(4))).toBe('applied'); // 0 follows 65535
    expect(frame(65535, press(8))).toBe('outOfOrder'); // late frame from before the wrap
    expect(frame(65534, press(8))).toBe('outOfOrder');
    expect(frame(0, press(8))).toBe('duplicate');
    expect(frame(2, press(16))).toBe('applied'); // a gap (lost frame) is fine: full state
    expect(frame(1, press(8))).toBe('outOfOrder');
    expect(frame(2, press(16))).toBe('duplicate');
    expect(frame(3, press(16))).toBe('unchanged');
    expect(input.state).toEqual(press(16));
  });

  it('treats a frame half the window ahead as older, as serial arithmetic says', () => {
    const { frame } = setup();
    expect(frame(100)).toBe('unchanged');
    expect(frame(100 + 0x8000)).toBe('outOfOrder');
    expect(frame(100 + 0x7fff)).toBe('unchanged');
  });

  it('counts malformed frames without throwing and keeps the state', () => {
    const { input, frame } = setup();
    frame(1, press(1));
    expect(input.receive(new Uint8Array([1, 2, 3]))).toBe('malformed');
    expect(input.receive(new Uint8Array(16))).toBe('malformed'); // version 0
    expect(input.state).toEqual(press(1));
  });

  it('drops frames of another session and restarts sequence tracking on a new one', () => {
    const { input, frame } = setup();
    expect(frame(500, press(1))).toBe('applied');
    input.resetSession(2, 3);
    expect(frame(501, press(2), 1)).toBe('staleSession'); // in flight from the old link
    expect(frame(3, press(4), 2)).toBe('applied'); // the new session may start anywhere
    expect(frame(502, press(8), 1)).toBe('staleSession');
    expect(input.state).toEqual(press(4));
  });

  it('judges frames that repeat the held state (keyframes) exactly as any other frame', () => {
    const { input, frame, advanceTo, states } = setup();
    const held: ControllerState = { buttons: 5, axes: [1, -1, 0, 1], triggers: [1, 0] };
    expect(frame(1, held)).toBe('applied');
    expect(frame(2, held)).toBe('unchanged');
    expect(frame(2, held)).toBe('duplicate');
    expect(frame(1, held)).toBe('outOfOrder');
    expect(frame(3, held, 9)).toBe('staleSession');
    const wrongVersion = encodeFrame({ seq: 4, state: held, session: 1 });
    wrongVersion[0] = 1;
    expect(input.receive(wrongVersion)).toBe('malformed');
    expect(frame(4, held)).toBe('unchanged');
    expect(states).toHaveLength(1);
    input.interrupt(); // neutral: the same bytes must apply again when the guest is back
    expect(frame(5, held)).toBe('applied');
    expect(input.state).toEqual(held);
    advanceTo(1000); // silence
    expect(input.state).toEqual(NEUTRAL);
    expect(frame(6, held)).toBe('applied');
    expect(input.state).toEqual(held);
    input.setPermissions({ buttons: 1, axes: 0, triggers: 0 });
    expect(frame(7, held)).toBe('unchanged');
    expect(input.state).toEqual({ ...NEUTRAL, buttons: 1 });
    input.resetSession(2, 0);
    expect(frame(8, held, 1)).toBe('staleSession');
    expect(frame(0, held, 2)).toBe('unchanged');
  });

  it('goes neutral and interrupted after silenceMs, then releases after releaseMs', () => {
    const { input, frame, advance, advanceTo, log, states } = setup();
    frame(1, press(1));
    advance(100);
    frame(2, press(1)); // keyframe keeps it alive
    advanceTo(349);
    expect(input.status).toBe('playing');
    expect(input.state).toEqual(press(1));
    advanceTo(350); // 250 ms after the last frame
    expect(input.status).toBe('interrupted');
    expect(input.state).toEqual(NEUTRAL);
    expect(states.at(-1)).toEqual(NEUTRAL);
    advanceTo(5349);
    expect(log).toEqual(['350:interrupted']);
    advanceTo(5350);
    expect(log).toEqual(['350:interrupted', '5350:released']);
  });

  it('comes back to playing when frames return before the release', () => {
    const { input, frame, advanceTo, log } = setup();
    frame(1, press(1));
    advanceTo(1000);
    expect(input.status).toBe('interrupted');
    expect(frame(2, press(2))).toBe('applied');
    expect(input.status).toBe('playing');
    advanceTo(1249);
    expect(input.status).toBe('playing');
    advanceTo(7000);
    expect(log).toEqual(['250:interrupted', '1000:playing', '1250:interrupted', '6250:released']);
  });

  it('interrupts at once when told (last will) and zeroes held buttons', () => {
    const { input, frame, advanceTo, log } = setup();
    frame(1, { buttons: ALL_BUTTONS, axes: [1, 1, 1, 1], triggers: [1, 1] });
    advanceTo(10);
    input.interrupt();
    expect(input.state).toEqual(NEUTRAL);
    advanceTo(5010);
    expect(log).toEqual(['10:interrupted', '5010:released']);
  });

  it('throttles a flooding guest, flags it, and unflags after a quiet second', () => {
    const { input, frame, advance, log } = setup({ maxFramesPerSecond: 100, burst: 10 });
    const verdicts: string[] = [];
    for (let i = 1; i <= 50; i++) verdicts.push(frame(i, press(i & 1)));
    expect(verdicts.slice(0, 10).every((v) => v !== 'throttled')).toBe(true);
    expect(verdicts.slice(10).every((v) => v === 'throttled')).toBe(true);
    expect(input.throttled).toBe(true);
    // At the allowed rate frames pass again, but the flag holds for a second after the last refusal.
    let seq = 100;
    for (let t = 0; t < 1000; t += 20) {
      advance(20);
      expect(frame(seq++, press(seq & 3))).not.toBe('throttled');
    }
    advance(20);
    frame(seq++);
    expect(input.throttled).toBe(false);
    expect(log.filter((l) => l.includes('throttled'))).toEqual(['0:throttled=true', expect.stringMatching(/throttled=false/)]);
  });

  it('masks buttons and axes by permissions and re-applies a new mask at once', () => {
    const { input, frame } = setup({ permissions: { buttons: 0b11, axes: 0b0001, triggers: 0b10 } });
    frame(1, { buttons: 0b111, axes: [0.5, 0.5, 0.5, 0.5], triggers: [1, 1] });
    expect(input.state.buttons).toBe(0b11);
    expect(input.state.axes).toEqual([expect.closeTo(0.5, 2), 0, 0, 0]);
    expect(input.state.triggers).toEqual([0, 1]);
    input.setPermissions(NO_PERMISSIONS);
    expect(input.state).toEqual(NEUTRAL);
    input.setPermissions(ALL_PERMISSIONS);
    expect(input.state.buttons).toBe(0b111);
  });

  it('zeroes the state and stops its timers when disposed', () => {
    const { input, frame, advanceTo, log, states } = setup();
    frame(1, press(1));
    input.dispose();
    expect(states.at(-1)).toEqual(NEUTRAL);
    advanceTo(100_000);
    expect(log).toEqual([]);
  });

  describe('with a frame MAC (authenticated room)', () => {
    const key = new Uint8Array(32).fill(7);
    const mac = new Mac(key, 'f', 'r1', 'alice');
    const sealed = (ext: number, state: ControllerState, session = 1, m = mac) => {
      const frame = encodeFrame({ seq: ext & 0xffff, session, state });
      return concatBytes(frame, m.tag(8, seqBytes(ext), frame));
    };

    it('applies tagged frames and counts forged ones without touching the sequence or the rate limit', () => {
      const { input } = setup({ mac, maxFramesPerSecond: 1, burst: 2 });
      expect(input.receive(sealed(0, press(1)))).toBe('applied');
      // Untagged, wrongly tagged, tagged for another guest, or far ahead without the key: all forged.
      expect(input.receive(encodeFrame({ seq: 1, session: 1, state: press(2) }))).toBe('forged');
      const bad = sealed(1, press(2));
      bad[20] = bad[20]! ^ 1;
      expect(input.receive(bad)).toBe('forged');
      expect(input.receive(sealed(1, press(2), 1, new Mac(key, 'f', 'r1', 'bob')))).toBe('forged');
      expect(input.receive(sealed(1000, press(0x1ffff), 1, new Mac(new Uint8Array(32), 'f', 'r1', 'alice')))).toBe('forged');
      expect(input.state).toEqual(press(1));
      // The forgeries took no token: the real guest's next frame passes (burst 2, one used).
      expect(input.receive(sealed(1, press(4)))).toBe('applied');
      expect(input.receive(sealed(2, press(4)))).toBe('throttled'); // exactly the real guest's two frames took tokens
    });

    it('binds the 32-bit sequence: a frame captured before a wrap cannot be replayed after it', () => {
      const { input } = setup({ mac, maxFramesPerSecond: 1e9, burst: 1e9 });
      const old = sealed(5, press(1));
      expect(input.receive(old)).toBe('applied');
      for (let ext = 6; ext <= 65536 + 4; ext += 20000) expect(input.receive(sealed(ext, press(2)))).not.toBe('forged');
      expect(input.receive(sealed(65536 + 4, press(2)))).not.toBe('forged');
      // Same 16 bits as the captured frame (5), one wrap later: its tag was made for sequence 5, not 65541.
      expect(input.receive(old)).toBe('forged');
      expect(input.receive(sealed(65536 + 5, press(8)))).toBe('applied');
    });
  });

  it('reads every frame as decodeFrame does (changed bytes, repeated axes or triggers, out-of-range values)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 9, maxLength: 9 }), { minLength: 1, maxLength: 20 }), fc.boolean(), (bodies, tagged) => {
        const mac = new Mac(new Uint8Array(32).fill(7), 'f', 'room', 'g');
        const { input, states } = setup({ maxFramesPerSecond: 1e9, burst: 1e9, ...(tagged ? { mac } : {}) });
        let expected: ControllerState = NEUTRAL;
        bodies.forEach((body, seq) => {
          // Mostly valid: the top button byte 0/1, no -128 axis; sometimes reuse the last body's axes or triggers.
          if (seq % 3 !== 2) body[0]! &= 1;
          if (seq % 4 !== 3) for (let i = 3; i < 7; i++) if (body[i] === 0x80) body[i] = 0x81;
          if (seq > 0 && seq % 2) body.set(bodies[seq - 1]!.subarray(3, 7), 3);
          const frame = encodeFrame({ seq, session: 1, state: NEUTRAL });
          frame.set(body, 4);
          const payload = tagged ? concatBytes(frame, mac.tag(8, seqBytes(seq), frame)) : frame;
          const reference = decodeFrame(frame);
          const verdict = input.receive(payload);
          if (!reference.ok) {
            expect(verdict).toBe('malformed');
            return;
          }
          expect(verdict).toBe(statesEqual(reference.frame.state, expected) ? 'unchanged' : 'applied');
          expected = reference.frame.state;
          expect(input.state).toEqual(expected);
        });
        expect(states.every((x, i) => i === 0 || !statesEqual(x, states[i - 1]!))).toBe(true);
        input.dispose();
      }),
    );
  });
});
