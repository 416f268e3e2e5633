import type { CoplayError, Live } from '@coplay/core';
import { useMemo, useSyncExternalStore, type RefObject } from 'react';

/**
 * {@link useLive} with an error handler: errors of `value$` go to `onError.current` when set,
 * otherwise they are thrown while rendering. The getter is also the server snapshot, and on the
 * server nothing subscribes.
 */
export function useLiveWith<T, F>(
  live: Live<T> | undefined,
  fallback: F,
  onError?: RefObject<((error: CoplayError) => void) | undefined>,
): T | F {
  const [subscribe, failure] = useMemo(() => {
    let failed: { e: unknown } | undefined;
    const subscribe = (onChange: () => void) => {
      const sub = live?.value$.subscribe({
        next: onChange,
        error: (e: unknown) => {
          const handle = onError?.current;
          if (handle) return handle(e as CoplayError);
          failed = { e };
          onChange();
        },
      });
      return () => sub?.unsubscribe();
    };
    return [subscribe, () => failed] as const;
  }, [live, onError]);
  const read = () => {
    const failed = failure();
    if (failed) throw failed.e;
    return live ? live.value : fallback;
  };
  return useSyncExternalStore(subscribe, read, read);
}
