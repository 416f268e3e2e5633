import { joinRoom, roomKey, type GuestRoom, type GuestRoomOptions } from '@coplay/core';
import { useConnection } from './useConnection';
import { useLatest } from './useLatest';
import { useRoomResource } from './useRoomResource';

/** Options of {@link useGuestRoom}: those of the core's `joinRoom`. */
export type UseGuestRoomOptions = GuestRoomOptions;

/**
 * Joins a room as a guest on the provider's connection: joined after mounting, left on unmount
 * (before an owned connection closes); `undefined` on the server and during the first render. A
 * new room id leaves and joins again; other options (name, `browserEvents: { window, document }`,
 * ...) may be new objects on every render and are read when the room is joined.
 * @typeParam S the type of state the host broadcasts.
 */
export function useGuestRoom<S = unknown>(options: UseGuestRoomOptions): GuestRoom<S> | undefined {
  const connection = useConnection();
  const latest = useLatest(options);
  return useRoomResource(
    connection,
    roomKey('guest', options),
    () => joinRoom<S>(connection, latest.current),
    (room) => room.close(),
  );
}
