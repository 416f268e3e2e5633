import type { HostRoom, PlayerInfo } from '@coplay/core';
import { useLive } from './useLive';

const NONE: readonly PlayerInfo[] = [];

/** The players of a host room (`[]` while `host` is `undefined`), re-rendering on each change. */
export function usePlayers(host: HostRoom<unknown> | undefined): readonly PlayerInfo[] {
  return useLive(host?.players, NONE);
}
