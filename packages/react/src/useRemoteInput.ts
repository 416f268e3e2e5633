import { NEUTRAL, type ControllerState, type HostRoom } from '@coplay/core';
import { useMemo } from 'react';
import { useLive } from './useLive';

/**
 * The controller state of player `slot` in a host room: `NEUTRAL` while nobody plays that slot or
 * `host` is `undefined`. Re-renders per input change; a game loop usually reads `host.input(slot).value`.
 */
export function useRemoteInput(host: HostRoom<unknown> | undefined, slot: number): ControllerState {
  return useLive(
    useMemo(() => host?.input(slot), [host, slot]),
    NEUTRAL,
  );
}
