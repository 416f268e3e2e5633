import type { Observable } from 'rxjs';
import { shallowRef, watch, type Ref, type ShallowRef } from 'vue';

/**
 * The latest value of one of a room's streams (status$, rtt$, ...) as a shallow ref, following
 * the room ref as it changes and unsubscribing when the component's scope ends.
 */
export function useRoomStream<R, T>(
  room: Readonly<Ref<R | undefined>>,
  pick: (room: R) => Observable<T>,
  initial: T,
): Readonly<ShallowRef<T>> {
  const out = shallowRef<T>(initial);
  watch(
    room,
    (r, _old, onCleanup) => {
      if (!r) {
        out.value = initial;
        return;
      }
      const sub = pick(r).subscribe((v) => (out.value = v));
      onCleanup(() => sub.unsubscribe());
    },
    { immediate: true },
  );
  return out;
}
