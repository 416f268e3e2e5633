import { BehaviorSubject, Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { NEUTRAL, type ControllerState } from './ControllerState';
import { sampleInput, type SampleInputOptions } from './sampleInput';

const press = (buttons: number): ControllerState => ({ ...NEUTRAL, buttons });

/**
 * Drives a device that starts at `initial` and changes at the given virtual times (like a
 * BehaviorSubject-backed input source), and returns `[time, buttons]` of every emitted sample.
 */
function sampled(
  options: SampleInputOptions,
  initial: ControllerState,
  changes: Array<[number, ControllerState]>,
  untilMs: number,
  complete = false,
) {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  const out: Array<[number, number | 'complete'] | [number, number, ControllerState]> = [];
  scheduler.run(({ flush }) => {
    const device = new BehaviorSubject(initial);
    for (const [t, s] of changes) scheduler.schedule(() => device.next(s), t);
    const sub = device.pipe(sampleInput({ ...options, scheduler })).subscribe({
      next: (s) => out.push([Math.round(scheduler.now() * 100) / 100, s.buttons]),
      complete: () => out.push([Math.round(scheduler.now() * 100) / 100, 'complete']),
    });
    if (complete) scheduler.schedule(() => device.complete(), untilMs);
    else scheduler.schedule(() => sub.unsubscribe(), untilMs);
    flush();
  });
  return out;
}

describe('sampleInput, tick mode', () => {
  it('emits the first sample at once, then only on change, plus keyframes when nothing changes', () => {
    // 100 Hz: a sample every 10 ms; keyframe after 100 ms without an emission.
    const out = sampled({ mode: 'tick', hz: 100, keyframeMs: 100 }, press(1), [[25, press(2)], [126, press(3)]], 300);
    expect(out).toEqual([
      [0, 1],
      [30, 2], // the change at 25 is seen by the sample at 30
      [130, 3], // changed again; 100 ms after the last emission anyway
      [230, 3], // keyframe
    ]);
  });

  it('sends an unchanged state again exactly every keyframeMs', () => {
    const out = sampled({ mode: 'tick', hz: 50, keyframeMs: 100 }, press(5), [], 350);
    expect(out).toEqual([
      [0, 5],
      [100, 5],
      [200, 5],
      [300, 5],
    ]);
  });

  it('defaults to 60 Hz and a keyframe every 100 ms (6 samples)', () => {
    const out = sampled({ mode: 'tick' }, press(1), [[20, press(2)]], 150);
    expect(out).toEqual([
      [0, 1],
      [33.33, 2],
      [133.33, 2],
    ]);
  });

  it('latches a tap shorter than one sample: pressed in one sample, released in the next', () => {
    // 60 Hz: samples at 0, 16.67, 33.33 ... START is tapped for 5 ms between two samples.
    const start = 1 << 9;
    const out = sampled({ mode: 'tick', hz: 60, keyframeMs: 1000 }, NEUTRAL, [[2, press(start)], [7, NEUTRAL]], 60);
    expect(out).toEqual([
      [0, 0],
      [16.67, start],
      [33.33, 0],
    ]);
  });

  it('keeps a held button held and still latches a second button tapped meanwhile', () => {
    const out = sampled({ mode: 'tick', hz: 100, keyframeMs: 1000 }, press(1), [[2, press(3)], [4, press(1)]], 35);
    expect(out).toEqual([
      [0, 1],
      [10, 3],
      [20, 1],
    ]);
  });

  it('latches a tap even when another button is released in the same sample', () => {
    const out = sampled({ mode: 'tick', hz: 100, keyframeMs: 1000 }, press(1), [[2, press(2)], [4, NEUTRAL]], 35);
    expect(out).toEqual([
      [0, 1],
      [10, 2],
      [20, 0],
    ]);
  });

  it('does not latch axes: only the value at sampling time counts', () => {
    const moved: ControllerState = { ...NEUTRAL, axes: [1, 0, 0, 0] };
    const out = sampled({ mode: 'tick', hz: 100, keyframeMs: 1000 }, NEUTRAL, [[2, moved], [4, NEUTRAL]], 35);
    expect(out).toEqual([[0, 0]]);
  });

  it('sends NEUTRAL and completes when the source completes', () => {
    const out = sampled({ mode: 'tick', hz: 100, keyframeMs: 1000 }, press(1), [], 15, true);
    expect(out).toEqual([
      [0, 1],
      [15, 0],
      [15, 'complete'],
    ]);
  });

  it('stops sampling and releases the source when unsubscribed', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const source = new Subject<ControllerState>();
      const seen: ControllerState[] = [];
      const sub = source.pipe(sampleInput({ mode: 'tick', hz: 100, keyframeMs: 10, scheduler })).subscribe((v) => seen.push(v));
      scheduler.schedule(() => sub.unsubscribe(), 35);
      flush();
      expect(seen.length).toBe(4); // 0, 10, 20, 30
      expect(source.observed).toBe(false);
    });
  });

  it('refuses nonsense options with INVALID_OPTIONS', () => {
    expect(() => sampleInput({ mode: 'poll' as 'tick' })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => sampleInput({ burst: 0 })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => sampleInput({ burst: 1.5 })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => sampleInput({ hz: 0 })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => sampleInput({ hz: Number.NaN })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => sampleInput({ keyframeMs: -1 })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });
});

describe('sampleInput, event mode (default)', () => {
  it('sends a change at the moment the source emits it, not at the next tick', () => {
    const out = sampled({ keyframeMs: 1000 }, NEUTRAL, [[3, press(1)], [41, press(0)], [77.5, press(4)]], 200);
    expect(out).toEqual([
      [0, 0],
      [3, 1],
      [41, 0],
      [77.5, 4],
    ]);
  });

  it('caps the rate: a burst goes out at once, then one change per 1/hz', () => {
    // burst 2 at 100 Hz: two changes pass at once, the rest wait for a token every 10 ms.
    const changes: Array<[number, ControllerState]> = [1, 2, 3, 4, 5].map((b) => [1, press(b)]);
    changes.push([2, press(6)], [3, press(7)]);
    const out = sampled({ hz: 100, burst: 2, keyframeMs: 1000 }, NEUTRAL, changes, 100);
    // t=0 spent one token on the first state; at t=1 one token is left for press(1); later changes
    // coalesce into the newest state when a token comes.
    expect(out[0]).toEqual([0, 0]);
    expect(out[1]).toEqual([1, 1]);
    expect(out.slice(2).map(([t, b]) => [Math.round(t), b])).toEqual([[10, 7]]);
  });

  it('sends keyframes keyframeMs after the last emission, and none while a change is pending', () => {
    const out = sampled({ hz: 60, keyframeMs: 50 }, press(2), [[120, press(3)]], 230);
    expect(out).toEqual([
      [0, 2],
      [50, 2],
      [100, 2],
      [120, 3],
      [170, 3],
      [220, 3],
    ]);
  });

  it('a tap released before it could go out is sent pressed, then released one period later', () => {
    // The only token is spent on the first state; a 2 ms tap at t=1 must still reach the host.
    const start = 1 << 9;
    const out = sampled({ hz: 100, burst: 1, keyframeMs: 1000 }, NEUTRAL, [[1, press(start)], [3, NEUTRAL]], 60);
    expect(out).toEqual([
      [0, 0],
      [10, start],
      [20, 0],
    ]);
  });

  it('a tap inside one synchronous burst is latched too', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const device = new BehaviorSubject(NEUTRAL);
      const seen: Array<[number, number]> = [];
      const sub = device.pipe(sampleInput({ hz: 100, burst: 1, keyframeMs: 1000, scheduler })).subscribe((s) => seen.push([scheduler.now(), s.buttons]));
      scheduler.schedule(() => {
        device.next(press(8));
        device.next(NEUTRAL);
      }, 30);
      scheduler.schedule(() => sub.unsubscribe(), 80);
      flush();
      expect(seen).toEqual([
        [0, 0],
        [30, 8],
        [40, 0],
      ]);
    });
  });

  it('sends NEUTRAL and completes when the source completes, and releases it on unsubscribe', () => {
    expect(sampled({ keyframeMs: 1000 }, press(1), [], 15, true)).toEqual([
      [0, 1],
      [15, 0],
      [15, 'complete'],
    ]);
    const source = new Subject<ControllerState>();
    const sub = source.pipe(sampleInput()).subscribe();
    sub.unsubscribe();
    expect(source.observed).toBe(false);
  });
});
