import { hostRoom, roomKey, type HostRoom, type HostRoomOptions } from '@coplay/core';
import { toValue, type MaybeRefOrGetter, type ShallowRef } from 'vue';
import { useConnection } from './useConnection';
import { useRoomResource } from './useRoomResource';

/** Options of {@link useHostRoom}: those of the core's `hostRoom`. */
export type UseHostRoomOptions = HostRoomOptions;

/**
 * Hosts a room on the provided connection until the effect scope ends (closed before an owned
 * connection closes); `undefined` on the server. `options` may be a ref or getter: a change of an
 * identity option (room id, maxPlayers, admission) closes the room and opens another; other
 * options may change freely and are read when the room opens.
 * @typeParam S the type of state the room broadcasts.
 */
export function useHostRoom<S = unknown>(options: MaybeRefOrGetter<UseHostRoomOptions>): Readonly<ShallowRef<HostRoom<S> | undefined>> {
  const connection = useConnection();
  return useRoomResource(
    connection,
    () => roomKey('host', toValue(options)),
    () => hostRoom<S>(connection, toValue(options)),
    (room) => room.close(),
  );
}
