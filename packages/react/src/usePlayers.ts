import type { HostRoom, PlayerInfo } from '@coplay/core';
import { useValue } from './useValue';

const NONE: readonly PlayerInfo[] = [];

/** The players of a host room (`[]` while `host` is `undefined`), re-rendering on each change. */
export function usePlayers(host: HostRoom | undefined): readonly PlayerInfo[] {
  return useValue(host, 'players', NONE);
}
