import { hostRoom, type HostRoom } from '@coplay/core';
import type { MaybeRefOrGetter, ShallowRef } from 'vue';
import { useConnection } from './useConnection';
import { useRoomResource } from './useRoomResource';

/** Options of {@link useHostRoom}: those of the core's `hostRoom`. */
export type UseHostRoomOptions = Parameters<typeof hostRoom>[1];

/**
 * Hosts a room on the provided connection until the effect scope ends; `undefined` on the server.
 * `options` may be a ref or getter: a new value closes the room and opens another.
 */
export function useHostRoom(options: MaybeRefOrGetter<UseHostRoomOptions>): Readonly<ShallowRef<HostRoom | undefined>> {
  const connection = useConnection();
  return useRoomResource(options, (o) => hostRoom(connection, o), (room) => room.close());
}
