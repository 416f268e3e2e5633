import {
  asyncScheduler,
  interval,
  Observable,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import { CoplayError } from '../errors/CoplayError';
import { NEUTRAL, statesEqual, type ControllerState } from './ControllerState';

/** Options of {@link sampleInput}. */
export interface SampleInputOptions {
  /** Samples per second. Default 60. */
  hz?: number;
  /** Re-send an unchanged state at least this often, so a lost frame heals. Default 100 ms. */
  keyframeMs?: number;
  /** Scheduler for the sampling clock (tests inject a virtual one). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * Turns a controller-state stream (emitting whenever the device changes) into the frames a guest
 * sends: it samples at a fixed rate, emits when the sample differs from the last emitted one,
 * emits the unchanged state again after `keyframeMs`, and latches taps: a button pressed and
 * released between two samples still shows as pressed in the next sample (and released in the
 * one after), so a quick tap is never lost.
 *
 * The first sample goes out at once. When the source completes, NEUTRAL goes out and the
 * output completes (a detached device never leaves a button held).
 * @throws CoplayError `INVALID_OPTIONS` for a non-positive `hz` or `keyframeMs`.
 */
export function sampleInput(options: SampleInputOptions = {}): MonoTypeOperatorFunction<ControllerState> {
  const hz = options.hz ?? 60;
  const keyframeMs = options.keyframeMs ?? 100;
  if (!(hz > 0 && hz <= 1000)) throw new CoplayError('INVALID_OPTIONS', `hz must be in (0, 1000], got ${hz}`);
  if (!(keyframeMs > 0)) throw new CoplayError('INVALID_OPTIONS', `keyframeMs must be > 0, got ${keyframeMs}`);
  const periodMs = 1000 / hz;
  // Count ticks rather than compare float times, so a keyframe lands on a tick deterministically.
  const keyframeTicks = Math.max(1, Math.round(keyframeMs / periodMs));
  const scheduler = options.scheduler ?? asyncScheduler;

  return (source) =>
    new Observable<ControllerState>((subscriber) => {
      let current: ControllerState = NEUTRAL;
      let pressedSinceSample = 0;
      let last: ControllerState | undefined;
      let ticksSinceEmit = 0;

      const sample = () => {
        const latched = pressedSinceSample & ~current.buttons;
        const out = latched ? { ...current, buttons: current.buttons | latched } : current;
        pressedSinceSample = 0;
        ticksSinceEmit++;
        if (last === undefined || !statesEqual(out, last) || ticksSinceEmit >= keyframeTicks) {
          last = out;
          ticksSinceEmit = 0;
          subscriber.next(out);
        }
      };

      const input = source.subscribe({
        next: (state) => {
          current = state;
          pressedSinceSample |= state.buttons;
        },
        error: (e) => subscriber.error(e),
        complete: () => {
          subscriber.next(NEUTRAL);
          subscriber.complete();
        },
      });
      if (subscriber.closed) return input;
      sample();
      const clock = interval(periodMs, scheduler).subscribe(sample);
      return () => {
        clock.unsubscribe();
        input.unsubscribe();
      };
    });
}
