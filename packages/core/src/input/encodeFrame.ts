import { CoplayError } from '../errors/CoplayError';
import { ALL_BUTTONS, type ControllerState } from './ControllerState';
import { FRAME_BYTES, FRAME_VERSION } from './frameFormat';

/** What {@link encodeFrame} needs. */
export interface FrameInput {
  /** 0..255. Default 0. */
  session?: number;
  /** 0..65535. */
  seq: number;
  /** Guest clock in ms; stored modulo 2^24. Default 0. */
  time?: number;
  state: ControllerState;
}

const fail = (why: string, details?: Record<string, unknown>): never => {
  throw new CoplayError('INVALID_PAYLOAD', `Cannot encode input frame: ${why}`, details ? { details } : {});
};

const axisByte = (v: number) => {
  if (!(v >= -1 && v <= 1)) fail('axis out of -1..1', { value: v });
  return Math.round(v * 127);
};
const triggerByte = (v: number) => {
  if (!(v >= 0 && v <= 1)) fail('trigger out of 0..1', { value: v });
  return Math.round(v * 255);
};

/**
 * Encodes one input frame into 16 bytes, without a tag (layout in PROTOCOL.md):
 * version u8 · session u8 · seq u16 · buttons u24 (17 bits used) · 4 axes i8 · 2 triggers u8 · time u24,
 * all big-endian. Axes are quantised to 1/127, triggers to 1/255.
 * @throws CoplayError `INVALID_PAYLOAD` for out-of-range fields (use `normalizeState` to clamp first).
 */
export function encodeFrame(input: FrameInput): Uint8Array {
  return writeFrame(new Uint8Array(FRAME_BYTES), input);
}

/**
 * {@link encodeFrame} into the first 16 bytes of `out` (a guest writes frame and tag into one
 * buffer); returns `out`. Not part of the package API.
 * @internal
 */
export function writeFrame(out: Uint8Array, input: FrameInput): Uint8Array {
  const { seq, state } = input;
  const session = input.session ?? 0;
  const time = input.time ?? 0;
  if (!Number.isInteger(seq) || seq < 0 || seq > 0xffff) fail('seq must be an integer 0..65535', { seq });
  if (!Number.isInteger(session) || session < 0 || session > 0xff) fail('session must be 0..255', { session });
  if (!Number.isFinite(time)) fail('time must be finite', { time });
  if (!state || typeof state !== 'object') fail('missing state');
  const { buttons, axes, triggers } = state;
  if (!Number.isInteger(buttons) || buttons < 0 || buttons > ALL_BUTTONS) fail('buttons must be 17 bits', { buttons });
  if (!axes || axes.length !== 4 || !triggers || triggers.length !== 2) fail('axes need 4 and triggers 2 values');

  out[0] = FRAME_VERSION;
  out[1] = session;
  out[2] = seq >>> 8;
  out[3] = seq;
  out[4] = (buttons >>> 16) & 0xff;
  out[5] = buttons >>> 8;
  out[6] = buttons;
  for (let i = 0; i < 4; i++) out[7 + i] = axisByte(axes[i]!); // a negative byte stores as its two's complement
  out[11] = triggerByte(triggers[0]);
  out[12] = triggerByte(triggers[1]);
  const t = ((Math.trunc(time) % 0x1000000) + 0x1000000) % 0x1000000;
  out[13] = t >>> 16;
  out[14] = t >>> 8;
  out[15] = t;
  return out;
}
