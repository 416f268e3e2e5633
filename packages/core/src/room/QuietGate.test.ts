import { VirtualAction, VirtualTimeScheduler, type SchedulerLike } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { QuietGate } from './QuietGate';

const OPTIONS = { gapMs: 45, tickMs: 15, maxLateMs: 5, direct: false };

function virtual() {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);
  const advance = (ms: number) => {
    scheduler.schedule(() => {}, ms); // virtual time only moves as far as its last action
    scheduler.maxFrames = scheduler.frame + ms;
    scheduler.flush();
  };
  return { scheduler, advance };
}

/** Input frames every `everyMs` for `forMs`, advancing virtual time between them. */
function feed(gate: QuietGate, scheduler: SchedulerLike, advance: (ms: number) => void, everyMs: number, forMs: number) {
  for (let t = 0; t < forMs; t += everyMs) {
    gate.heard(scheduler.now());
    advance(everyMs);
  }
}

describe('QuietGate', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('with spreadMs, gates that share one gap send at different moments, and one whose random wait outlasts the gap waits for the next', () => {
    const { scheduler, advance } = virtual();
    // Once the gap is found, each gate waits a further 0, 0.5 and 0.99 of 30 ms (Math.random).
    const draws = [0, 0.5, 0.99];
    vi.spyOn(Math, 'random').mockImplementation(() => draws.shift() ?? 0);
    const gates = [0, 1, 2].map(() => new QuietGate(scheduler, { ...OPTIONS, spreadMs: 30 }));
    const sent: Array<[number, number]> = [];
    for (const [i, g] of gates.entries()) {
      g.heard(scheduler.now());
      g.whenQuiet(() => sent.push([i, scheduler.now()]));
    }
    advance(15);
    for (const g of gates) g.heard(scheduler.now()); // the last input before a shared 65 ms pause
    advance(65);
    // Found at 45 ms of quiet: gate 0 sends then, gate 1 15 ms later; gate 2 (+29.7 ms) finds input again.
    expect(sent.map(([i]) => i)).toEqual([0, 1]);
    expect(sent[1]![1] - sent[0]![1]).toBeGreaterThanOrEqual(15);
    for (const g of gates) g.heard(scheduler.now()); // input again
    advance(100); // the next gap is long enough for gate 2
    expect(sent.map(([i]) => i)).toEqual([0, 1, 2]);
  });

  it('holds a send while input comes without a 45 ms gap, however long (no forced send), and lets it go in the first gap', () => {
    const { scheduler, advance } = virtual();
    const gate = new QuietGate(scheduler, OPTIONS);
    const sent: number[] = [];
    gate.heard(scheduler.now());
    gate.whenQuiet(() => sent.push(scheduler.now()));
    feed(gate, scheduler, advance, 40, 30_000); // 30 s of input, never 45 ms apart
    expect(sent).toEqual([]);
    const last = gate.lastHeard;
    advance(100); // the input pauses
    expect(sent).toHaveLength(1);
    expect(sent[0]! - last).toBeGreaterThanOrEqual(45);
  });

  it('sends at once (after pending reads) when the link is already quiet', () => {
    const { scheduler, advance } = virtual();
    const gate = new QuietGate(scheduler, OPTIONS);
    const sent: number[] = [];
    gate.whenQuiet(() => sent.push(scheduler.now()));
    expect(sent).toEqual([]); // never inside the caller: the event loop reads pending input first
    advance(0);
    expect(sent).toEqual([0]);
  });

  it('a frame read before the confirmation cancels the send until the next gap', () => {
    const { scheduler, advance } = virtual();
    const gate = new QuietGate(scheduler, OPTIONS);
    const sent: number[] = [];
    gate.whenQuiet(() => sent.push(scheduler.now()));
    gate.heard(scheduler.now()); // input that waited in the socket, read before the confirmation ran
    advance(30);
    expect(sent).toEqual([]);
    advance(60);
    expect(sent).toHaveLength(1);
  });

  it('direct (the host sends on `outgoing`): sends at once while input flows', () => {
    const { scheduler, advance } = virtual();
    const gate = new QuietGate(scheduler, { ...OPTIONS, direct: true });
    const sent: number[] = [];
    feed(gate, scheduler, advance, 10, 100);
    gate.whenQuiet(() => sent.push(scheduler.now()));
    expect(sent).toEqual([scheduler.now()]);
  });

  it('a tick that comes late (a busy event loop, input maybe unread) is no gap', () => {
    const { scheduler, advance } = virtual();
    let skew = 0; // the clock jumps ahead of the timers: they run late, as after a blocked event loop
    scheduler.now = () => scheduler.frame + skew;
    const gate = new QuietGate(scheduler, OPTIONS);
    const sent: number[] = [];
    gate.heard(scheduler.now());
    gate.whenQuiet(() => sent.push(scheduler.now()));
    advance(14);
    skew = 100; // 100 ms of "quiet" that the event loop spent busy
    advance(1);
    expect(sent).toEqual([]);
    advance(15); // the next tick is on time again, and the link really is quiet
    expect(sent).toHaveLength(1);
  });

  it('cancels and disposes: nothing is sent, and no timer is left', () => {
    const { scheduler, advance } = virtual();
    const gate = new QuietGate(scheduler, OPTIONS);
    const sent: string[] = [];
    gate.heard(scheduler.now());
    const a = gate.whenQuiet(() => sent.push('a'));
    gate.whenQuiet(() => sent.push('b'));
    a.unsubscribe();
    gate.dispose();
    gate.whenQuiet(() => sent.push('c'));
    advance(1000);
    expect(sent).toEqual([]);
    expect(scheduler.actions.filter((x) => !x.closed)).toEqual([]);
  });

  it('a hundred rooms waiting for a gap share one timer', () => {
    const { scheduler, advance } = virtual();
    const gates = Array.from({ length: 100 }, () => new QuietGate(scheduler, OPTIONS));
    let sent = 0;
    for (const g of gates) {
      g.heard(scheduler.now());
      g.whenQuiet(() => sent++);
    }
    for (let t = 0; t < 1000; t += 20) {
      for (const g of gates) g.heard(scheduler.now());
      advance(20);
      expect(scheduler.actions.filter((x) => !x.closed).length).toBeLessThanOrEqual(1);
    }
    expect(sent).toBe(0);
    advance(100);
    expect(sent).toBe(100);
    expect(scheduler.actions.filter((x) => !x.closed)).toEqual([]); // the shared timer stops with the last waiter
  });
});
