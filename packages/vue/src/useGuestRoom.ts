import { joinRoom, roomKey, type GuestRoom, type GuestRoomOptions } from '@coplay/core';
import { toValue, type MaybeRefOrGetter, type ShallowRef } from 'vue';
import { useConnection } from './useConnection';
import { useRoomResource } from './useRoomResource';

/** Options of {@link useGuestRoom}: those of the core's `joinRoom`. */
export type UseGuestRoomOptions = GuestRoomOptions;

/**
 * Joins a room as a guest on the provided connection and leaves it when the effect scope ends
 * (before an owned connection closes); `undefined` on the server. `options` may be a ref or
 * getter: a new room id leaves and joins again; other options (name, `browserEvents`, ...) may
 * change freely and are read when the room is joined.
 * @typeParam S the type of state the host broadcasts.
 */
export function useGuestRoom<S = unknown>(options: MaybeRefOrGetter<UseGuestRoomOptions>): Readonly<ShallowRef<GuestRoom<S> | undefined>> {
  const connection = useConnection();
  return useRoomResource(
    connection,
    () => roomKey('guest', toValue(options)),
    () => joinRoom<S>(connection, toValue(options)),
    (room) => room.close(),
  );
}
