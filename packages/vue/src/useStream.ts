import type { Observable } from 'rxjs';
import { getCurrentInstance, handleError, shallowReadonly, shallowRef, watch, type ShallowRef, type WatchSource } from 'vue';
import { isServer } from './isServer';

/** A core value pair: the stream (replaying its current value) and its synchronous getter. */
export type Stream<T> = readonly [Observable<T>, () => T];

/**
 * Mirrors a core value pair into a readonly shallow ref. `open` is called with the current `key`
 * and again whenever it changes; the previous subscription ends first, and the last one ends with
 * the effect scope. On the server the current value is read once and nothing subscribes.
 * A stream error goes to Vue's error handling (onErrorCaptured, app.config.errorHandler).
 */
export function useStream<K, T>(
  key: WatchSource<K> | readonly WatchSource<unknown>[],
  open: (key: K) => Stream<T>,
): Readonly<ShallowRef<T>> {
  const out = shallowRef() as ShallowRef<T>;
  const instance = getCurrentInstance();
  watch(
    // An array of sources is compared item by item: no resubscribe unless one really changed.
    key as WatchSource<K>,
    (k, _old, onCleanup) => {
      const [value$, get] = open(k);
      out.value = get();
      if (isServer) return;
      const sub = value$.subscribe({
        next: (v) => {
          out.value = v;
        },
        // 3 is WATCH_CALLBACK in every Vue 3 release.
        error: (e: unknown) => handleError(e, instance, 3, false),
      });
      onCleanup(() => sub.unsubscribe());
    },
    { immediate: true },
  );
  return shallowReadonly(out);
}
