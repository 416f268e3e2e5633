import { NEUTRAL, type ControllerState, type HostRoom } from '@coplay/core';
import { NEVER } from 'rxjs';
import { toValue, type MaybeRefOrGetter, type ShallowRef } from 'vue';
import { useStream } from './useStream';

/**
 * The controller state of player `slot` in a host room: `NEUTRAL` while nobody plays that slot or
 * `host` is `undefined`. `host` and `slot` may be refs or getters.
 */
export function useRemoteInput(
  host: MaybeRefOrGetter<HostRoom | undefined>,
  slot: MaybeRefOrGetter<number>,
): Readonly<ShallowRef<ControllerState>> {
  return useStream<readonly [HostRoom | undefined, number], ControllerState>(
    [() => toValue(host), () => toValue(slot)],
    ([h, s]) => (h ? [h.input$(s), () => h.input(s)] : [NEVER, () => NEUTRAL]),
  );
}
