import type { Live } from '@coplay/core';
import { useLiveWith } from './useLiveWith';

/**
 * Reads a {@link Live} value (`connection.state`, `room.status`, `host.players`, a `liveTopic`...),
 * re-rendering when it changes, like nanostores' `useStore(store)`. While `live` is `undefined`
 * (a room that is not open yet) returns `fallback`. On the server, returns `live.value` and
 * subscribes to nothing. An error of `value$` is thrown while rendering, for the nearest error
 * boundary.
 *
 * @example
 * const state = useLive(connection.state);
 * const score = useLive(useMemo(() => liveTopic(connection, 'game/score'), [connection]));
 */
export function useLive<T>(live: Live<T>): T;
export function useLive<T, F>(live: Live<T> | undefined, fallback: F): T | F;
export function useLive<T, F>(live: Live<T> | undefined, fallback?: F): T | F {
  return useLiveWith(live, fallback as F);
}
