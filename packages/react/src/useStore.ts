import type { Observable } from 'rxjs';
import { useMemo, useSyncExternalStore } from 'react';

/**
 * Reads a core value pair (`x$` + synchronous `x`) with useSyncExternalStore. The getter is also
 * the server snapshot: on the server nothing subscribes. An error of the stream is rethrown while
 * rendering, for the nearest error boundary.
 */
export function useStore<T>(source$: Observable<T> | undefined, get: () => T): T {
  const [subscribe, failed] = useMemo(() => {
    let error: { e: unknown } | undefined;
    return [
      (onChange: () => void) => {
        const sub = source$?.subscribe({
          next: onChange,
          error: (e: unknown) => {
            error = { e };
            onChange();
          },
        });
        return () => sub?.unsubscribe();
      },
      () => error,
    ] as const;
  }, [source$]);
  const read = () => {
    const error = failed();
    if (error) throw error.e;
    return get();
  };
  return useSyncExternalStore(subscribe, read, read);
}
