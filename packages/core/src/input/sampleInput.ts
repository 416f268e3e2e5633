import {
  asyncScheduler,
  interval,
  Observable,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { CoplayError } from '../errors/CoplayError';
import { NEUTRAL, statesEqual, type ControllerState } from './ControllerState';

/** Options of {@link sampleInput}. */
export interface SampleInputOptions {
  /**
   * `'event'` (default): a change goes out as soon as the source emits it, at most `hz` per second
   * on average (bursts of `burst`). `'tick'`: the source is sampled on a fixed `hz` clock and a change
   * waits for the next tick.
   */
  mode?: 'event' | 'tick';
  /** Samples per second (`'tick'`), or the sustained rate cap (`'event'`). Default 60. */
  hz?: number;
  /** `'event'` mode: changes that may go out back to back before the `hz` cap applies. Default 4. */
  burst?: number;
  /** Re-send an unchanged state at least this often, so a lost frame heals. Default 100 ms. */
  keyframeMs?: number;
  /** Scheduler for the clock (tests inject a virtual one). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * Turns a controller-state stream (emitting whenever the device changes) into the frames a guest
 * sends: it emits when the state differs from the last emitted one, emits the unchanged state again
 * after `keyframeMs`, and latches taps: a button pressed and released before it could be sent still
 * goes out as pressed (and released in the frame after), so a quick tap is never lost.
 *
 * By default (`mode: 'event'`) a change goes out at once: a key press does not wait up to a whole
 * sample period for a clock tick. A token bucket (`burst`, refilled `hz` per second) caps the rate;
 * a change over the cap goes out when the next token is due. Sources that must be polled (gamepads)
 * poll themselves and emit on change, so the same rule serves them. `mode: 'tick'` keeps the
 * fixed-clock sampler.
 *
 * The first state goes out at once. When the source completes, NEUTRAL goes out and the output
 * completes (a detached device never leaves a button held).
 * @throws CoplayError `INVALID_OPTIONS` for a bad `mode`, `hz`, `burst` or `keyframeMs`.
 */
export function sampleInput(options: SampleInputOptions = {}): MonoTypeOperatorFunction<ControllerState> {
  const mode = options.mode ?? 'event';
  const hz = options.hz ?? 60;
  const burst = options.burst ?? 4;
  const keyframeMs = options.keyframeMs ?? 100;
  if (mode !== 'event' && mode !== 'tick') throw new CoplayError('INVALID_OPTIONS', `mode must be 'event' or 'tick', got ${String(mode)}`);
  if (!(hz > 0 && hz <= 1000)) throw new CoplayError('INVALID_OPTIONS', `hz must be in (0, 1000], got ${hz}`);
  if (!(Number.isInteger(burst) && burst >= 1)) throw new CoplayError('INVALID_OPTIONS', `burst must be an integer ≥ 1, got ${burst}`);
  if (!(keyframeMs > 0)) throw new CoplayError('INVALID_OPTIONS', `keyframeMs must be > 0, got ${keyframeMs}`);
  const scheduler = options.scheduler ?? asyncScheduler;
  return mode === 'tick' ? tickSampler(hz, keyframeMs, scheduler) : eventSampler(hz, burst, keyframeMs, scheduler);
}

function tickSampler(hz: number, keyframeMs: number, scheduler: SchedulerLike): MonoTypeOperatorFunction<ControllerState> {
  const periodMs = 1000 / hz;
  // Count ticks rather than compare float times, so a keyframe lands on a tick deterministically.
  const keyframeTicks = Math.max(1, Math.round(keyframeMs / periodMs));
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

function eventSampler(hz: number, burst: number, keyframeMs: number, scheduler: SchedulerLike): MonoTypeOperatorFunction<ControllerState> {
  const refillMs = 1000 / hz;
  return (source) =>
    new Observable<ControllerState>((subscriber) => {
      let current: ControllerState = NEUTRAL;
      // Buttons pressed since the last emission: a press must reach one frame even if released first.
      let pressedSinceEmit = 0;
      let last: ControllerState | undefined;
      let tokens = burst;
      let refilledAt = scheduler.now();
      let flushTimer: Subscription | undefined;
      let keyframeTimer: Subscription | undefined;
      let started = false;

      const refill = () => {
        const now = scheduler.now();
        tokens = Math.min(burst, tokens + (now - refilledAt) / refillMs);
        refilledAt = now;
      };

      const armKeyframe = () => {
        keyframeTimer?.unsubscribe();
        if (!Number.isFinite(keyframeMs)) return;
        keyframeTimer = scheduler.schedule(() => {
          keyframeTimer = undefined;
          // A pending change is about to go out anyway; a keyframe would only repeat the old state.
          if (!flushTimer) subscriber.next(last!);
          armKeyframe();
        }, keyframeMs);
      };

      const emit = (out: ControllerState) => {
        last = out;
        pressedSinceEmit = 0;
        subscriber.next(out);
        armKeyframe();
      };

      const later = (delayMs: number) => {
        flushTimer = scheduler.schedule(() => {
          flushTimer = undefined;
          flush();
        }, delayMs);
      };

      const flush = () => {
        if (!started || flushTimer || subscriber.closed) return;
        const latched = pressedSinceEmit & ~current.buttons;
        const out = latched ? { ...current, buttons: current.buttons | latched } : current;
        if (last !== undefined && statesEqual(out, last)) {
          pressedSinceEmit = 0;
          return;
        }
        refill();
        if (tokens >= 1) {
          tokens -= 1;
          emit(out);
          // A tap released before it went out was sent as pressed; its release follows one period
          // later, so a host that reads input once per game frame still sees the press.
          if (latched) later(refillMs);
          return;
        }
        later((1 - tokens) * refillMs);
      };

      const input = source.subscribe({
        next: (state) => {
          current = state;
          pressedSinceEmit |= state.buttons;
          flush();
        },
        error: (e) => subscriber.error(e),
        complete: () => {
          flushTimer?.unsubscribe();
          keyframeTimer?.unsubscribe();
          subscriber.next(NEUTRAL);
          subscriber.complete();
        },
      });
      if (subscriber.closed) return input;
      started = true;
      // The first state goes out at once, whatever it is (a synchronous replay included).
      tokens -= 1;
      const latched = pressedSinceEmit & ~current.buttons;
      emit(latched ? { ...current, buttons: current.buttons | latched } : current);
      if (latched) later(refillMs);
      return () => {
        flushTimer?.unsubscribe();
        keyframeTimer?.unsubscribe();
        input.unsubscribe();
      };
    });
}
