import type { Live } from '@coplay/core';
import { toValue, type MaybeRefOrGetter, type ShallowRef } from 'vue';
import { watchLive } from './watchLive';

/**
 * Reads a {@link Live} value (`connection.state`, `room.status`, `host.players`, a `liveTopic`...)
 * as a readonly shallow ref that follows it until the effect scope ends. `live` may be a ref or
 * getter (such as the ref `useGuestRoom` returns, mapped): a new Live is followed instead, and
 * while it is `undefined` the ref holds `fallback`. On the server the value is read once and
 * nothing subscribes. An error of `value$` goes to Vue's error handling (`onErrorCaptured`).
 *
 * @example
 * const state = useLive(connection.state);
 * const status = useLive(() => guest.value?.status, { status: 'joining' });
 */
export function useLive<T>(live: MaybeRefOrGetter<Live<T>>): Readonly<ShallowRef<T>>;
export function useLive<T, F>(live: MaybeRefOrGetter<Live<T> | undefined>, fallback: F): Readonly<ShallowRef<T | F>>;
export function useLive<T, F>(live: MaybeRefOrGetter<Live<T> | undefined>, fallback?: F): Readonly<ShallowRef<T | F>> {
  return watchLive(() => toValue(live), fallback as F);
}
