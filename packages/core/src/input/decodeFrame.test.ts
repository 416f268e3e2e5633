import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCoplayError } from '../errors/CoplayError';
import { ALL_BUTTONS, NEUTRAL, normalizeState, statesEqual, type ControllerState } from './ControllerState';
import { decodeFrame } from './decodeFrame';
import { encodeFrame } from './encodeFrame';
import { FRAME_BYTES, FRAME_VERSION } from './frameFormat';

const stateArb: fc.Arbitrary<ControllerState> = fc.record({
  buttons: fc.integer({ min: 0, max: ALL_BUTTONS }),
  axes: fc.tuple(
    fc.double({ min: -1, max: 1, noNaN: true }),
    fc.double({ min: -1, max: 1, noNaN: true }),
    fc.double({ min: -1, max: 1, noNaN: true }),
    fc.double({ min: -1, max: 1, noNaN: true }),
  ),
  triggers: fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
});

describe('input frame codec', () => {
  it('is 16 bytes with the documented layout', () => {
    const bytes = encodeFrame({
      session: 7,
      seq: 0xabcd,
      time: 0x123456,
      state: { buttons: (1 << 16) | (1 << 12) | 1, axes: [1, -1, 0, 0.5], triggers: [1, 0] },
    });
    expect(bytes.length).toBe(FRAME_BYTES);
    expect([...bytes]).toEqual([
      FRAME_VERSION, 7, 0xab, 0xcd, 0x01, 0x10, 0x01, 127, 0x81, 0, 64, 255, 0, 0x12, 0x34, 0x56,
    ]);
  });

  it('round-trips any state within quantisation', () => {
    fc.assert(
      fc.property(
        stateArb,
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        (state, seq, session, time) => {
          const result = decodeFrame(encodeFrame({ state, seq, session, time }));
          if (!result.ok) throw new Error(`refused: ${result.reason}`);
          const { frame } = result;
          expect(frame.seq).toBe(seq);
          expect(frame.session).toBe(session);
          expect(frame.time).toBe(time % 2 ** 24);
          expect(frame.state.buttons).toBe(state.buttons);
          for (let i = 0; i < 4; i++) expect(Math.abs(frame.state.axes[i]! - state.axes[i]!)).toBeLessThanOrEqual(0.5 / 127 + 1e-9);
          for (let i = 0; i < 2; i++) expect(Math.abs(frame.state.triggers[i]! - state.triggers[i]!)).toBeLessThanOrEqual(0.5 / 255 + 1e-9);
          // Quantised values are a fixed point: re-encoding a decoded frame gives the same bytes.
          const again = encodeFrame({ state: frame.state, seq, session, time: frame.time });
          expect(decodeFrame(again)).toEqual(result);
        },
      ),
    );
  });

  it('decodes a neutral frame to a state equal to NEUTRAL (no -0)', () => {
    const r = decodeFrame(encodeFrame({ seq: 1, state: NEUTRAL }));
    expect(r.ok && statesEqual(r.frame.state, NEUTRAL)).toBe(true);
    expect(r.ok && Object.is(r.frame.state.axes[0], 0)).toBe(true);
  });

  it('never throws on random bytes and accepts exactly the valid frames', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 40 }), (bytes) => {
        const r = decodeFrame(bytes);
        const valid =
          (bytes.length === 16 || bytes.length === 24) &&
          bytes[0] === FRAME_VERSION &&
          bytes[4]! <= 1 &&
          [7, 8, 9, 10].every((i) => bytes[i] !== 0x80);
        expect(r.ok).toBe(valid);
        if (r.ok) {
          // A valid frame re-encodes to the very same bytes.
          expect([...encodeFrame({ ...r.frame })]).toEqual([...bytes.subarray(0, 16)]);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('never throws on frames of the right length and version', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 15, maxLength: 15 }), (rest) => {
        const bytes = new Uint8Array([FRAME_VERSION, ...rest]);
        const r = decodeFrame(bytes);
        expect(r.ok || r.reason === 'range').toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('reports why a frame was refused', () => {
    const good = encodeFrame({ seq: 1, state: NEUTRAL });
    expect(decodeFrame(good.subarray(0, 15))).toEqual({ ok: false, reason: 'length' });
    expect(decodeFrame(new Uint8Array(17))).toEqual({ ok: false, reason: 'length' });
    expect(decodeFrame(new Uint8Array(23))).toEqual({ ok: false, reason: 'length' });
    expect(decodeFrame(new Uint8Array(0))).toEqual({ ok: false, reason: 'length' });
    expect(decodeFrame(Object.assign(new Uint8Array(16), { 0: 1 }))).toEqual({ ok: false, reason: 'version' });
    expect(decodeFrame(Object.assign(new Uint8Array(24), { 0: 3 }))).toEqual({ ok: false, reason: 'version' });
    const bits = good.slice();
    bits[4] = 2;
    expect(decodeFrame(bits)).toEqual({ ok: false, reason: 'range' });
    const axis = good.slice();
    axis[9] = 0x80;
    expect(decodeFrame(axis)).toEqual({ ok: false, reason: 'range' });
    expect(decodeFrame('nope' as unknown as Uint8Array)).toEqual({ ok: false, reason: 'length' });
  });

  it('decodes a frame inside a larger buffer (Buffer slices from MQTT.js)', () => {
    const big = new Uint8Array(64);
    big.set(encodeFrame({ seq: 513, state: { ...NEUTRAL, buttons: 3 } }), 20);
    const r = decodeFrame(big.subarray(20, 36));
    expect(r.ok && r.frame.seq).toBe(513);
    expect(r.ok && r.frame.state.buttons).toBe(3);
  });

  it('refuses to encode out-of-range values with INVALID_PAYLOAD', () => {
    const cases: Array<Parameters<typeof encodeFrame>[0]> = [
      { seq: 65536, state: NEUTRAL },
      { seq: -1, state: NEUTRAL },
      { seq: 1.5, state: NEUTRAL },
      { seq: 0, session: 256, state: NEUTRAL },
      { seq: 0, state: { ...NEUTRAL, buttons: 1 << 17 } },
      { seq: 0, state: { ...NEUTRAL, axes: [1.5, 0, 0, 0] } },
      { seq: 0, state: { ...NEUTRAL, axes: [Number.NaN, 0, 0, 0] } },
      { seq: 0, state: { ...NEUTRAL, triggers: [-0.1, 0] } },
      { seq: 0, time: Number.POSITIVE_INFINITY, state: NEUTRAL },
    ];
    for (const c of cases) {
      let error: unknown;
      try {
        encodeFrame(c);
      } catch (e) {
        error = e;
      }
      expect(isCoplayError(error, 'INVALID_PAYLOAD'), JSON.stringify(c)).toBe(true);
    }
  });
});

describe('normalizeState', () => {
  it('clamps finite values and rejects malformed states', () => {
    expect(normalizeState({ buttons: 5, axes: [1.2, -3, 0, 0.5], triggers: [2, -1] })).toEqual({
      buttons: 5,
      axes: [1, -1, 0, 0.5],
      triggers: [1, 0],
    });
    for (const bad of [
      null,
      { buttons: -1, axes: [0, 0, 0, 0], triggers: [0, 0] },
      { buttons: 0, axes: [0, 0, 0], triggers: [0, 0] },
      { buttons: 0, axes: [0, 0, 0, Number.NaN], triggers: [0, 0] },
      { buttons: 0, axes: [0, 0, 0, 0], triggers: [0, Number.POSITIVE_INFINITY] },
    ]) {
      expect(() => normalizeState(bad as unknown as ControllerState)).toThrowError(
        expect.objectContaining({ code: 'INVALID_PAYLOAD' }),
      );
    }
  });
});
