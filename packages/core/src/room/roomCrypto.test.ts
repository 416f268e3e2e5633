import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FRAME_TAG_BYTES, Mac, seqBytes } from './roomCrypto';

describe('Mac.checkFrame', () => {
  const mac = new Mac(new Uint8Array(32).fill(3), 'f', 'room1', 'guest1');

  it('accepts exactly the tags of HMAC(context ‖ seqBytes(ext) ‖ frame), for any 32-bit extended sequence', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), (ext, frame) => {
        const tag = mac.tag(FRAME_TAG_BYTES, seqBytes(ext), frame);
        expect(mac.checkFrame(tag, ext, frame)).toBe(true);
        expect(mac.check(tag, seqBytes(ext), frame)).toBe(true);
        expect(mac.checkFrame(tag, ext + 1, frame)).toBe(false);
        const other = frame.slice();
        other[0]! ^= 1;
        expect(mac.checkFrame(tag, ext, other)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
