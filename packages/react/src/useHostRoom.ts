import { hostRoom, type HostRoom } from '@coplay/core';
import { useConnection } from './useConnection';
import { useRoomResource } from './useRoomResource';

/** Options of {@link useHostRoom}: those of the core's `hostRoom`. */
export type UseHostRoomOptions = Parameters<typeof hostRoom>[1];

/**
 * Hosts a room on the provider's connection: opened after mounting, closed on unmount;
 * `undefined` on the server and during the first render. A change of a serialisable option
 * (room id, maxPlayers, ...) closes the room and opens a new one; functions are read at opening.
 */
export function useHostRoom(options: UseHostRoomOptions): HostRoom | undefined {
  const connection = useConnection();
  return useRoomResource(
    () => hostRoom(connection, options),
    (room) => room.close(),
    [connection, JSON.stringify(options)],
  );
}
