import { shallowReadonly, shallowRef, toValue, watch, type MaybeRefOrGetter, type ShallowRef } from 'vue';
import { isServer } from './isServer';

/**
 * Opens a resource for the current `options` (never on the server) and closes it when the effect
 * scope ends or `options` changes to a new value (the old one closes before the new one opens).
 */
export function useRoomResource<O, R>(
  options: MaybeRefOrGetter<O>,
  open: (options: O) => R,
  close: (resource: R) => unknown,
): Readonly<ShallowRef<R | undefined>> {
  const out = shallowRef<R>();
  watch(
    () => toValue(options),
    (o, _old, onCleanup) => {
      if (isServer) return;
      const resource = open(o);
      out.value = resource;
      onCleanup(() => {
        out.value = undefined;
        void close(resource);
      });
    },
    { immediate: true },
  );
  return shallowReadonly(out);
}
