import { distinctUntilChanged, EMPTY, fromEvent, map, merge, share, startWith, type Observable } from 'rxjs';
import type { FocusSource } from './FocusSource';

/** Where {@link browserFocus} listens. */
export interface FocusTargets {
  /** Gets `blur`, `focus` and `gamepaddisconnected`. */
  window?: EventTarget;
  /** Gets `visibilitychange`; its `visibilityState` is read. */
  document?: EventTarget & { visibilityState?: string };
}

const on = (target: EventTarget | undefined, type: string): Observable<Event> => (target ? fromEvent(target, type) : EMPTY);

/**
 * A {@link FocusSource} over DOM events: unfocused while `document.visibilityState` is `hidden`
 * or after the window's `blur` until its `focus`; `release$` on `gamepaddisconnected`. Listens only
 * while `value$` or `release$` is subscribed. Without a DOM (Node, workers) it is always focused
 * and never releases.
 *
 * @example
 * joinRoom(conn, { room, focus: browserFocus({ window: iframe.contentWindow! }) });
 */
export function browserFocus(targets: FocusTargets = globalTargets()): FocusSource {
  let blurred = false;
  const focused = () => !blurred && targets.document?.visibilityState !== 'hidden';
  const value$ = merge(
    on(targets.document, 'visibilitychange'),
    on(targets.window, 'blur').pipe(map(() => (blurred = true))),
    on(targets.window, 'focus').pipe(map(() => (blurred = false))),
  ).pipe(
    map(focused),
    startWith(undefined),
    map(focused),
    distinctUntilChanged(),
    share(),
  );
  return {
    get value() {
      return focused();
    },
    value$,
    release$: on(targets.window, 'gamepaddisconnected').pipe(map(() => undefined)),
  };
}

function globalTargets(): FocusTargets {
  return {
    ...(typeof window !== 'undefined' ? { window } : {}),
    ...(typeof document !== 'undefined' ? { document } : {}),
  };
}
