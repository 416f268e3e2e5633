import type { HostRoom, PlayerInfo } from '@coplay/core';
import { computed, toValue, type MaybeRefOrGetter, type ShallowRef } from 'vue';
import { useLive } from './useLive';

const NONE: readonly PlayerInfo[] = [];

/** The players of a host room; `host` may be a room, ref or getter (`[]` while it is `undefined`). */
export function usePlayers(host: MaybeRefOrGetter<HostRoom<unknown> | undefined>): Readonly<ShallowRef<readonly PlayerInfo[]>> {
  const live = computed(() => toValue(host)?.players);
  return useLive(live, NONE);
}
