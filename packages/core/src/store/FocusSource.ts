import type { Observable } from 'rxjs';
import type { Live } from './Live';

/**
 * Whether the player is at the controls, for a guest room to release input when they are not
 * (like TanStack Query's `focusManager`, injectable so rooms run unchanged without a DOM).
 * `value` is false while the page is hidden or the window has lost focus.
 */
export interface FocusSource extends Live<boolean> {
  /** Emits when held input must be released at once even though focus stays (a gamepad unplugged). */
  readonly release$: Observable<void>;
}
