import { NEUTRAL, type ControllerState, type HostRoom } from '@coplay/core';
import { computed, toValue, type MaybeRefOrGetter, type ShallowRef } from 'vue';
import { useLive } from './useLive';

/**
 * The controller state of player `slot` in a host room: `NEUTRAL` while nobody plays that slot or
 * `host` is `undefined`. `host` and `slot` may be refs or getters.
 */
export function useRemoteInput(
  host: MaybeRefOrGetter<HostRoom<unknown> | undefined>,
  slot: MaybeRefOrGetter<number>,
): Readonly<ShallowRef<ControllerState>> {
  const live = computed(() => {
    const h = toValue(host);
    const s = toValue(slot);
    return h?.input(s);
  });
  return useLive(live, NEUTRAL);
}
