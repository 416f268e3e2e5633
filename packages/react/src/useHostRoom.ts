import { hostRoom, roomKey, type HostRoom, type HostRoomOptions } from '@coplay/core';
import { useConnection } from './useConnection';
import { useLatest } from './useLatest';
import { useRoomResource } from './useRoomResource';

/** Options of {@link useHostRoom}: those of the core's `hostRoom`. */
export type UseHostRoomOptions = HostRoomOptions;

/**
 * Hosts a room on the provider's connection: opened after mounting, closed on unmount (before an
 * owned connection closes); `undefined` on the server and during the first render. A change of an
 * identity option (room id, maxPlayers, admission) closes the room and opens a new one; other
 * options may be new objects on every render and are read when the room opens.
 * @typeParam S the type of state the room broadcasts.
 */
export function useHostRoom<S = unknown>(options: UseHostRoomOptions): HostRoom<S> | undefined {
  const connection = useConnection();
  const latest = useLatest(options);
  return useRoomResource(
    connection,
    roomKey('host', options),
    () => hostRoom<S>(connection, latest.current),
    (room) => room.close(),
  );
}
