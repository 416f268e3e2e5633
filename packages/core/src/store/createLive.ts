import { BehaviorSubject } from 'rxjs';
import type { Live } from './Live';

/** A {@link Live} value together with the producer's handles to change and end it. */
export interface LiveSource<T> {
  /** Read-only view to hand out. */
  readonly live: Live<T>;
  /** Sets a new value; ignored after {@link complete}. */
  set(value: T): void;
  /** Completes `value$`; `value` keeps the last value. */
  complete(): void;
}

/**
 * Creates a {@link Live} value backed by a `BehaviorSubject`: `value$` replays the current value,
 * and `value` returns the same object until {@link LiveSource.set} is called with another one.
 *
 * @example
 * const state = createLive<Status>({ status: 'idle' });
 * state.set({ status: 'connected' });
 * state.live.value$.subscribe(render);
 */
export function createLive<T>(initial: T): LiveSource<T> {
  const subject = new BehaviorSubject<T>(initial);
  const value$ = subject.asObservable();
  const live: Live<T> = {
    get value() {
      return subject.getValue();
    },
    value$,
  };
  // `subject.closed` stays false after complete() in RxJS 7: keep our own flag.
  let done = false;
  return {
    live,
    set(value) {
      if (!done) subject.next(value);
    },
    complete() {
      done = true;
      subject.complete();
    },
  };
}
