import type { Observable } from 'rxjs';
import type { ControllerState } from './ControllerState';

/** A local controller: keyboard, gamepad, touch pad, or anything an app builds. */
export interface InputSource {
  /** The controller state; replays the current value and emits on every change. */
  readonly state$: Observable<ControllerState>;
  /** Synchronous current state. */
  readonly state: ControllerState;
  /** Removes listeners and stops polling; `state$` emits NEUTRAL and completes. Idempotent. */
  dispose(): void;
}
