import { NEUTRAL, type ControllerState, type HostRoom } from '@coplay/core';
import { useMemo } from 'react';
import { useStore } from './useStore';

/**
 * The controller state of player `slot` in a host room: `NEUTRAL` while nobody plays that slot or
 * `host` is `undefined`. Re-renders per input change; a game loop usually reads `host.input(slot)`.
 */
export function useRemoteInput(host: HostRoom | undefined, slot: number): ControllerState {
  const input$ = useMemo(() => host?.input$(slot), [host, slot]);
  return useStore(input$, () => (host ? host.input(slot) : NEUTRAL));
}
