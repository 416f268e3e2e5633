// The cryptography of authenticated rooms (PROTOCOL.md, "Authentication"). Published constructions
// only: ECDSA P-256 signatures and ECDH P-256 (WebCrypto), HKDF-SHA256 (RFC 5869) for per-guest keys,
// HMAC-SHA256 (RFC 2104) truncated for tags (@noble/hashes, because a tag must be checked
// synchronously, in the order frames arrive).
import { hkdf } from '@noble/hashes/hkdf';
import { hmac } from '@noble/hashes/hmac';
import { sha256 } from '@noble/hashes/sha2';
import { concatBytes } from '@noble/hashes/utils';
import { CoplayError } from '../errors/CoplayError';
export { FRAME_TAG_BYTES } from '../input/frameFormat';

/** Bytes of the tag on a control message. */
export const CONTROL_TAG_BYTES = 16;
/** Bytes of an ECDSA P-256 signature (r ‖ s). */
export const SIGNATURE_BYTES = 64;
/** Bytes of an uncompressed P-256 public key. */
export const PUBLIC_KEY_BYTES = 65;

const utf8 = new TextEncoder();
const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
const HKDF_SALT = utf8.encode('coplay room v2');

/** WebCrypto's typings want an ArrayBuffer-backed view; every array here is one. */
const bs = (u: Uint8Array): BufferSource => u as Uint8Array<ArrayBuffer>;

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new CoplayError('INVALID_OPTIONS', 'authenticated rooms need WebCrypto (crypto.subtle): a secure context in browsers, Node 20+, Deno or Bun');
  return s;
}

/** Base64url without padding (what the invite carries). */
export function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Inverse of {@link toBase64Url}; `undefined` for anything that is not base64url. */
export function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Length-prefixed context: label, room and guest id can never run into each other. */
function context(label: string, room: string, gid = ''): Uint8Array {
  return utf8.encode(`coplay/2\u0000${label}\u0000${room}\u0000${gid}\u0000`);
}

/** The host's keys for one room: ECDSA to sign presence and broadcasts, ECDH to agree a key with each guest. */
export interface HostKeys {
  readonly signPrivate: CryptoKey;
  /** Raw public signing key: the invite carries it. */
  readonly signPublic: Uint8Array;
  readonly dhPrivate: CryptoKey;
  /** Raw public ECDH key: the signed host presence carries it. */
  readonly dhPublic: Uint8Array;
}

/** Makes a room's key pairs (private keys not extractable). */
export async function createHostKeys(): Promise<HostKeys> {
  const s = subtle();
  const sign = (await s.generateKey(ECDSA, false, ['sign', 'verify']));
  const dh = (await s.generateKey(ECDH, false, ['deriveBits']));
  return {
    signPrivate: sign.privateKey,
    signPublic: new Uint8Array(await s.exportKey('raw', sign.publicKey)),
    dhPrivate: dh.privateKey,
    dhPublic: new Uint8Array(await s.exportKey('raw', dh.publicKey)),
  };
}

/** A guest's ECDH key pair, one per `joinRoom`. */
export interface GuestKeys {
  readonly dhPrivate: CryptoKey;
  readonly dhPublic: Uint8Array;
}

export async function createGuestKeys(): Promise<GuestKeys> {
  const s = subtle();
  const dh = (await s.generateKey(ECDH, false, ['deriveBits']));
  return { dhPrivate: dh.privateKey, dhPublic: new Uint8Array(await s.exportKey('raw', dh.publicKey)) };
}

/** Imports the host's public signing key from the invite; rejects a malformed key. */
export async function importVerifyKey(raw: Uint8Array): Promise<CryptoKey> {
  return subtle().importKey('raw', bs(raw), ECDSA, false, ['verify']);
}

/** Signs `body` for `label` in `room`: 64 bytes. */
export async function signBody(key: CryptoKey, label: string, room: string, body: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().sign(SIGN, key, bs(concatBytes(context(label, room), body))));
}

/** Checks a signature made by {@link signBody}; never throws. */
export async function verifyBody(key: CryptoKey, label: string, room: string, signature: Uint8Array, body: Uint8Array): Promise<boolean> {
  try {
    return await subtle().verify(SIGN, key, bs(signature), bs(concatBytes(context(label, room), body)));
  } catch {
    return false;
  }
}

/** The two directional keys one guest shares with the host. */
export interface LinkKeys {
  /** Guest → host. */
  readonly up: Uint8Array;
  /** Host → guest. */
  readonly down: Uint8Array;
}

/**
 * ECDH between one side's private key and the other's public key, then HKDF-SHA256 bound to the
 * room and both public keys: 32 bytes for each direction. Rejects a malformed public key.
 */
export async function deriveLinkKeys(
  privateKey: CryptoKey,
  peerPublic: Uint8Array,
  room: string,
  hostDhPublic: Uint8Array,
  guestDhPublic: Uint8Array,
): Promise<LinkKeys> {
  const s = subtle();
  const peer = await s.importKey('raw', bs(peerPublic), ECDH, false, []);
  const shared = new Uint8Array(await s.deriveBits({ name: 'ECDH', public: peer }, privateKey, 256));
  const info = concatBytes(context('keys', room), hostDhPublic, guestDhPublic);
  // HKDF in JS, not two more WebCrypto calls: each of those resolves in a task of its own, which on a
  // page busy drawing waits its turn, and a join runs this on both sides. Same RFC 5869 bytes.
  const okm = hkdf(sha256, shared, HKDF_SALT, info, 64);
  return { up: okm.slice(0, 32), down: okm.slice(32, 64) };
}

type Hmac = ReturnType<typeof hmac.create>;

/**
 * A keyed HMAC-SHA256 with its context (label, room, guest id) already absorbed, so a tag costs
 * one clone and one short update. Synchronous.
 */
export class Mac {
  private readonly base: Hmac;
  // One scratch state and output buffer, reused: a frame's tag is checked with no allocation.
  private scratch: Hmac | undefined;
  private readonly out = new Uint8Array(32);
  private readonly seq = new Uint8Array(4);

  constructor(key: Uint8Array, label: string, room: string, gid: string) {
    this.base = hmac.create(sha256, key).update(context(label, room, gid));
  }

  /** The first `length` bytes of HMAC(key, context ‖ parts), in a new array. */
  tag(length: number, ...parts: Uint8Array[]): Uint8Array {
    const h = this.start();
    for (const p of parts) h.update(p);
    return this.finish(h).slice(0, length);
  }

  /** Constant-time check of `tag` against HMAC(key, context ‖ a ‖ b) (the tag's length decides the truncation). */
  check(tag: Uint8Array, a: Uint8Array, b?: Uint8Array): boolean {
    const h = this.start().update(a);
    if (b) h.update(b);
    return this.matches(tag, this.finish(h));
  }

  /**
   * {@link check} of an input frame's tag: HMAC(key, context ‖ seqBytes(ext) ‖ frame), the same bytes
   * as `check(tag, seqBytes(ext), frame)` without allocating (hot path: every frame of every guest).
   */
  checkFrame(tag: Uint8Array, ext: number, frame: Uint8Array): boolean {
    return this.matches(tag, this.frameDigest(ext, frame, 0, frame.length));
  }

  /**
   * {@link checkFrame} of a tagged frame as it came off the wire (`frameBytes` bytes, then the tag),
   * the tag compared in place.
   */
  checkTaggedFrame(payload: Uint8Array, ext: number, frameBytes: number): boolean {
    const expected = this.frameDigest(ext, payload, 0, frameBytes);
    const tagBytes = payload.length - frameBytes;
    let diff = 0;
    for (let i = 0; i < tagBytes; i++) diff |= payload[frameBytes + i]! ^ expected[i]!;
    return diff === 0 && tagBytes > 0 && tagBytes <= expected.length;
  }

  /**
   * Writes the tag of the frame in `out[0, frameBytes)` (sequence number `ext`) into `out` after the
   * frame, as many bytes as are left: the guest's frame and tag in one buffer, no copies.
   */
  tagFrameInto(out: Uint8Array, ext: number, frameBytes: number): void {
    const digest = this.frameDigest(ext, out, 0, frameBytes);
    for (let i = frameBytes; i < out.length; i++) out[i] = digest[i - frameBytes]!;
  }

  /** HMAC(key, context ‖ seqBytes(ext) ‖ bytes[from, to)) in the scratch output. */
  private frameDigest(ext: number, bytes: Uint8Array, from: number, to: number): Uint8Array {
    const s = this.seq;
    s[0] = ext >>> 24;
    s[1] = ext >>> 16;
    s[2] = ext >>> 8;
    s[3] = ext;
    return this.finish(this.start().update(s).update(from === 0 && to === bytes.length ? bytes : bytes.subarray(from, to)));
  }

  private matches(tag: Uint8Array, expected: Uint8Array): boolean {
    let diff = 0;
    for (let i = 0; i < tag.length; i++) diff |= tag[i]! ^ expected[i]!;
    return diff === 0 && tag.length > 0 && tag.length <= expected.length;
  }

  private start(): Hmac {
    return (this.scratch = this.base._cloneInto(this.scratch));
  }

  private finish(h: Hmac): Uint8Array {
    h.digestInto(this.out);
    return this.out;
  }
}

/** The 32-bit extended sequence number as it goes into a frame's tag. */
export function seqBytes(ext: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, ext >>> 0);
  return b;
}
