import { CoplayError } from '../errors/CoplayError';
import { fromBase64Url, PUBLIC_KEY_BYTES } from './roomCrypto';
import { validateId } from './validateId';

/**
 * What a guest needs to join a room: its id and, for an authenticated room, the host's public
 * key. Share it as a URL fragment ({@link formatInvite}), which browsers never send to a server.
 */
export interface RoomInvite {
  readonly room: string;
  /** The host's public signing key (ECDSA P-256, raw, base64url); absent for a room opened with `secure: false`. */
  readonly key?: string;
}

/**
 * The invite as URL fragment text without `#`: `r={room}&k={key}`.
 * @example location.origin + '/guest#' + formatInvite(await host.invite)
 */
export function formatInvite(invite: RoomInvite): string {
  return invite.key === undefined ? `r=${invite.room}` : `r=${invite.room}&k=${invite.key}`;
}

/**
 * Reads an invite from a URL, a `#fragment` or bare fragment text (as {@link formatInvite} writes it).
 * @throws CoplayError `INVALID_INVITE` when it holds no valid room id or a malformed key.
 */
export function parseInvite(text: string): RoomInvite {
  const fail = (why: string): never => {
    throw new CoplayError('INVALID_INVITE', `Invalid room invite: ${why}`);
  };
  if (typeof text !== 'string') return fail('must be a string');
  const hash = text.indexOf('#');
  const params = new URLSearchParams(hash >= 0 ? text.slice(hash + 1) : text);
  const room = params.get('r');
  if (room === null) return fail('no room (r=)');
  try {
    validateId(room, 'room');
  } catch (cause) {
    throw new CoplayError('INVALID_INVITE', `Invalid room invite: bad room id ${JSON.stringify(room)}`, { cause });
  }
  const key = params.get('k');
  if (key === null) return { room };
  if (fromBase64Url(key)?.length !== PUBLIC_KEY_BYTES) return fail('the host key (k=) is not a base64url P-256 public key');
  return { room, key };
}
