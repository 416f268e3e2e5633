import type { GuestRoomOptions, HostRoomOptions } from '../room/types';

/**
 * The identity of a room a UI adapter opens, as a string: two option objects with the same key
 * open the same room, so an adapter keeps the open room when only other options change (they are
 * read when the room next opens). Host: room id, max players, admission, `secure`. Guest: room id
 * (from the invite or `room`), the invite's host key, `secure`.
 * Functions, event targets and schedulers are never part of it, so any options object works.
 */
export function roomKey(role: 'host', options: HostRoomOptions): string;
export function roomKey(role: 'guest', options: GuestRoomOptions): string;
export function roomKey(role: 'host' | 'guest', options: HostRoomOptions | GuestRoomOptions): string {
  let identity: unknown[];
  if (role === 'host') {
    const o = options as HostRoomOptions;
    identity = [role, o.room, o.maxPlayers, o.admission, o.secure];
  } else {
    const o = options as GuestRoomOptions;
    const invite = typeof o.invite === 'string' ? o.invite : o.invite && `r=${o.invite.room}&k=${o.invite.key ?? ''}`;
    identity = [role, o.room, invite, o.secure];
  }
  // Only strings, numbers and undefined: JSON is a safe, order-stable key.
  return JSON.stringify(identity);
}
