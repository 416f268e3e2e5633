import { joinRoom, type GuestRoom } from '@coplay/core';
import { useConnection } from './useConnection';
import { useRoomResource } from './useRoomResource';

/** Options of {@link useGuestRoom}: those of the core's `joinRoom`. */
export type UseGuestRoomOptions = Parameters<typeof joinRoom>[1];

/**
 * Joins a room as a guest on the provider's connection: joined after mounting, left on unmount;
 * `undefined` on the server and during the first render. A change of a serialisable option
 * leaves the room and joins again.
 */
export function useGuestRoom(options: UseGuestRoomOptions): GuestRoom | undefined {
  const connection = useConnection();
  return useRoomResource(
    () => joinRoom(connection, options),
    (room) => room.leave(),
    [connection, JSON.stringify(options)],
  );
}
