import { describe, expect, it } from 'vitest';
import { isCoplayError } from '../errors/CoplayError';
import { textCodec } from './textCodec';

const utf8 = (s: string) => new TextEncoder().encode(s);
const wire = (x: Uint8Array | string) => (typeof x === 'string' ? utf8(x) : x);

function decodeError(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected decode to throw');
}

describe('textCodec', () => {
  it('round-trips UTF-8 text, including non-ASCII', () => {
    for (const s of ['', 'hello', 'héllo wörld ✓ 🎮']) expect(textCodec.decode(wire(textCodec.encode(s)))).toBe(s);
  });

  it('rejects malformed UTF-8 with DECODE_FAILED instead of inventing U+FFFD', () => {
    const e = decodeError(() => textCodec.decode(new Uint8Array([0x68, 0xff, 0xfe])));
    expect(isCoplayError(e, 'DECODE_FAILED')).toBe(true);
    expect((e as { details?: { bytes?: number } }).details?.bytes).toBe(3);
  });

  it('refuses to encode a non-string with INVALID_PAYLOAD', () => {
    expect(() => textCodec.encode(42 as unknown as string)).toThrow(expect.objectContaining({ code: 'INVALID_PAYLOAD' }));
  });
});
