import type { GuestRoomOptions, HostRoomOptions } from '../room/types';

/**
 * The identity of a room a UI adapter opens, as a string: two option objects with the same key
 * open the same room, so an adapter keeps the open room when only other options change (they are
 * read when the room next opens). Host: room id, max players, admission. Guest: room id.
 * Functions, event targets and schedulers are never part of it, so any options object works.
 */
export function roomKey(role: 'host', options: HostRoomOptions): string;
export function roomKey(role: 'guest', options: GuestRoomOptions): string;
export function roomKey(role: 'host' | 'guest', options: HostRoomOptions | GuestRoomOptions): string {
  const identity: unknown[] =
    role === 'host'
      ? [role, options.room, (options as HostRoomOptions).maxPlayers, (options as HostRoomOptions).admission]
      : [role, options.room];
  // Only strings, numbers and undefined: JSON is a safe, order-stable key.
  return JSON.stringify(identity);
}
