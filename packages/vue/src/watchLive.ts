import type { CoplayError, Live } from '@coplay/core';
import { shallowReadonly, shallowRef, watch, type ShallowRef } from 'vue';
import { errorSink } from './errorSink';
import { isServer } from './isServer';

/**
 * Mirrors the {@link Live} value `source()` returns into a readonly shallow ref, `fallback` while
 * it returns `undefined`. A new Live ends the old subscription first; the last one ends with the
 * effect scope. On the server the value is read once and nothing subscribes.
 */
export function watchLive<T, F>(
  source: () => Live<T> | undefined,
  fallback: F,
  onError: () => ((error: CoplayError) => void) | undefined = () => undefined,
): Readonly<ShallowRef<T | F>> {
  const out = shallowRef() as ShallowRef<T | F>;
  const report = errorSink(onError);
  watch(
    source,
    (live, _old, onCleanup) => {
      out.value = live ? live.value : fallback;
      if (isServer || !live) return;
      const sub = live.value$.subscribe({
        next: (v) => {
          out.value = v;
        },
        error: report,
      });
      onCleanup(() => sub.unsubscribe());
    },
    { immediate: true },
  );
  return shallowReadonly(out);
}
