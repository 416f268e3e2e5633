import { goodbyes, type Connection } from '@coplay/core';
import { shallowReadonly, shallowRef, watch, type ShallowRef } from 'vue';
import { isServer } from './isServer';

/**
 * Opens a resource on `connection` (never on the server) and closes it when the effect scope ends
 * or `key()` changes (the old one closes before the new one opens). Each close counts as a goodbye
 * that an owned connection waits for before it closes.
 */
export function useRoomResource<R>(
  connection: Connection,
  key: () => string,
  open: () => R,
  close: (resource: R) => Promise<unknown>,
): Readonly<ShallowRef<R | undefined>> {
  const out = shallowRef<R>();
  watch(
    key,
    (_key, _old, onCleanup) => {
      if (isServer) return;
      const resource = open();
      out.value = resource;
      onCleanup(() => {
        out.value = undefined;
        goodbyes.track(connection, close(resource));
      });
    },
    { immediate: true },
  );
  return shallowReadonly(out);
}
