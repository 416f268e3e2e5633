import type { Live } from '@coplay/core';
import type { Observable } from 'rxjs';

/**
 * A {@link Live} view of a core value that is still an `x$` / `x` pair. Goes away once the
 * connection and room values are `Live` themselves.
 */
export function livePair<T>(value$: Observable<T>, get: () => T): Live<T> {
  return {
    get value() {
      return get();
    },
    value$,
  };
}
