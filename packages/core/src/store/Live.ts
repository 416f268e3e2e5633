import type { Observable } from 'rxjs';

/**
 * A value that changes over time: `value$` replays the current value and then every change,
 * `value` reads it synchronously. UI adapters read `value` while rendering and subscribe to `value$`.
 */
export interface Live<T> {
  /** The current value. */
  readonly value: T;
  /** The current value, then every change. Subscribing may hold a resource (see the producer). */
  readonly value$: Observable<T>;
}
