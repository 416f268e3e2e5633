import { concatBytes } from '@noble/hashes/utils';
import { CONTROL_TAG_BYTES, Mac, type LinkKeys } from './roomCrypto';

/** The MACs of one guest link (one guest, one topic id) in an authenticated room. */
export class LinkMacs {
  /** Guest → host input frames. */
  readonly frame: Mac;
  /** Guest → host control on `u/{gid}`. */
  readonly up: Mac;
  /** Guest presence on `p/{gid}`. */
  readonly presence: Mac;
  /** Host → guest control on `d/{gid}`. */
  readonly down: Mac;

  constructor(
    readonly keys: LinkKeys,
    readonly room: string,
    readonly gid: string,
  ) {
    this.frame = new Mac(keys.up, 'f', room, gid);
    this.up = new Mac(keys.up, 'u', room, gid);
    this.presence = new Mac(keys.up, 'p', room, gid);
    this.down = new Mac(keys.down, 'd', room, gid);
  }
}

/** `tag ‖ body`: a control message of an authenticated room. */
export function seal(mac: Mac, body: Uint8Array): Uint8Array {
  return concatBytes(mac.tag(CONTROL_TAG_BYTES, body), body);
}

/** The body of a sealed message, or `undefined` when its tag does not match. */
export function unseal(mac: Mac, payload: Uint8Array): Uint8Array | undefined {
  if (payload.length <= CONTROL_TAG_BYTES) return undefined;
  const body = payload.subarray(CONTROL_TAG_BYTES);
  return mac.check(payload.subarray(0, CONTROL_TAG_BYTES), body) ? body : undefined;
}
