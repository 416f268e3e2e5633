import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveLinkKeys, FRAME_TAG_BYTES, Mac, seqBytes } from './roomCrypto';

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
        // The wire forms: frame and tag in one buffer, written and checked without views.
        const wire = new Uint8Array(frame.length + FRAME_TAG_BYTES);
        wire.set(frame);
        mac.tagFrameInto(wire, ext, frame.length);
        expect(wire.subarray(frame.length)).toEqual(tag);
        expect(mac.checkTaggedFrame(wire, ext, frame.length)).toBe(true);
        expect(mac.checkTaggedFrame(wire, ext + 1, frame.length)).toBe(false);
        const flipped = wire.slice();
        flipped[frame.length + (ext & 7)]! ^= 1;
        expect(mac.checkTaggedFrame(flipped, ext, frame.length)).toBe(false);
        expect(mac.checkTaggedFrame(wire.subarray(0, frame.length), ext, frame.length)).toBe(false); // no tag at all
      }),
      { numRuns: 300 },
    );
  });
});

describe('deriveLinkKeys', () => {
  // Fixed P-256 keys, and the keys WebCrypto's own HKDF derived from them (the implementation before
  // HKDF moved to @noble/hashes): peers on either version agree on the link keys.
  const host = {"kty": "EC", "crv": "P-256", "x": "tbRVrvPz3El4ROvShZwMh3pMv63GH6IseBNJltkrzoc", "y": "uuJwr5o-75CqyMM2YFfef9Pd_RscDbuoiNdZVs4PcO4", "d": "2PMB5jGmmAvxhTXLPNLz0PwGiz7dI_VxSYkQ4huFPn0"};
  const guest = {"kty": "EC", "crv": "P-256", "x": "qaASGVh7NqtYfupb5rWSlpnD2rvXpwVQSGP-lXwY8Uw", "y": "2AMU-EKlIcNPJ6Ui_ts_IGqYiASc3FWSVaft-RXssbA", "d": "OroeEutY3PS9ZHHhRLoxfElxA4Oku2BvZB9APJlVaIA"};
  const hostPub = '04b5b455aef3f3dc497844ebd2859c0c877a4cbfadc61fa22c78134996d92bce87bae270af9a3eef90aac8c3366057de7fd3ddfd1b1c0dbba888d75956ce0f70ee';
  const guestPub = '04a9a01219587b36ab587eea5be6b5929699c3dabbd7a705504863fe957c18f14cd80314f842a521c34f27a522fedb3f206a9888049cdc559255a7edf915ecb1b0';
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  const bytes = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
  const importKey = (jwk: JsonWebKey) => crypto.subtle.importKey('jwk', jwk, { name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);

  it('gives both sides the same keys, equal to WebCrypto HKDF-SHA256 over the ECDH secret', async () => {
    const onHost = await deriveLinkKeys(await importKey(host), bytes(guestPub), 'living-room', bytes(hostPub), bytes(guestPub));
    const onGuest = await deriveLinkKeys(await importKey(guest), bytes(hostPub), 'living-room', bytes(hostPub), bytes(guestPub));
    expect(hex(onHost.up)).toBe('d66b325ca434b76015f62e5c559fc774b150b497ae5aaa45b5bf7731a373e196');
    expect(hex(onHost.down)).toBe('457031b76952ba52544c1318043ff7b27d4ce80c9c7439812b1bafc2d1d5bd85');
    expect(onGuest).toEqual(onHost);
    // Bound to the room.
    const elsewhere = await deriveLinkKeys(await importKey(host), bytes(guestPub), 'other-room', bytes(hostPub), bytes(guestPub));
    expect(hex(elsewhere.up)).not.toBe(hex(onHost.up));
  });
});
