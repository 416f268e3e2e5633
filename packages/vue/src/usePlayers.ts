import type { HostRoom, PlayerInfo } from '@coplay/core';
import type { MaybeRefOrGetter, ShallowRef } from 'vue';
import { useValue } from './useValue';

const NONE: readonly PlayerInfo[] = [];

/** The players of a host room; `host` may be a room, ref or getter (`[]` while it is `undefined`). */
export function usePlayers(host: MaybeRefOrGetter<HostRoom | undefined>): Readonly<ShallowRef<readonly PlayerInfo[]>> {
  return useValue(host, 'players', NONE);
}
