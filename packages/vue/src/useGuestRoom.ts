import { joinRoom, type GuestRoom } from '@coplay/core';
import type { MaybeRefOrGetter, ShallowRef } from 'vue';
import { useConnection } from './useConnection';
import { useRoomResource } from './useRoomResource';

/** Options of {@link useGuestRoom}: those of the core's `joinRoom`. */
export type UseGuestRoomOptions = Parameters<typeof joinRoom>[1];

/**
 * Joins a room as a guest on the provided connection and leaves it when the effect scope ends;
 * `undefined` on the server. `options` may be a ref or getter: a new value leaves and joins again.
 */
export function useGuestRoom(options: MaybeRefOrGetter<UseGuestRoomOptions>): Readonly<ShallowRef<GuestRoom | undefined>> {
  const connection = useConnection();
  return useRoomResource(options, (o) => joinRoom(connection, o), (room) => room.leave());
}
