import type { ControllerState } from './ControllerState';
import { FRAME_BYTES, FRAME_TAG_BYTES, FRAME_VERSION, type DecodeResult } from './frameFormat';
import { isUint8Array } from '../util/isUint8Array';

const LENGTH: DecodeResult = Object.freeze({ ok: false, reason: 'length' });
const VERSION: DecodeResult = Object.freeze({ ok: false, reason: 'version' });
const RANGE: DecodeResult = Object.freeze({ ok: false, reason: 'range' });

// Dividing then adding 0 turns -0 into 0, so a decoded centre compares equal to NEUTRAL.
const axis = (b: number) => b / 127 + 0;

/**
 * Decodes an input frame: 16 bytes, or 24 with the tag of an authenticated room (the tag is not
 * checked here: the room checks it before decoding). Never throws: anything that is not a valid
 * v2 frame (wrong length, unknown version, button bits above 16, an axis byte of -128) comes back
 * as `{ ok: false, reason }` so the host can count and drop it.
 */
export function decodeFrame(bytes: Uint8Array): DecodeResult {
  if (!isUint8Array(bytes) || (bytes.length !== FRAME_BYTES && bytes.length !== FRAME_BYTES + FRAME_TAG_BYTES)) return LENGTH;
  if (bytes[0] !== FRAME_VERSION) return VERSION;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const high = bytes[4]!;
  if (high > 1) return RANGE; // only bit 16 may be set in the top byte
  const a0 = view.getInt8(7);
  const a1 = view.getInt8(8);
  const a2 = view.getInt8(9);
  const a3 = view.getInt8(10);
  if (a0 === -128 || a1 === -128 || a2 === -128 || a3 === -128) return RANGE;
  const state: ControllerState = {
    buttons: (high << 16) | view.getUint16(5),
    axes: [axis(a0), axis(a1), axis(a2), axis(a3)],
    triggers: [bytes[11]! / 255, bytes[12]! / 255],
  };
  return {
    ok: true,
    frame: {
      version: FRAME_VERSION,
      session: bytes[1]!,
      seq: view.getUint16(2),
      time: (bytes[13]! << 16) | view.getUint16(14),
      state,
    },
  };
}
