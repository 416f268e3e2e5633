import { Subscription, type SchedulerLike } from 'rxjs';
import { sharedTicker } from './sharedTicker';

/** Settings of a {@link QuietGate}. */
export interface QuietGateOptions {
  /** Quiet needed on the input link before the host may send on it. */
  readonly gapMs: number;
  /** How often a waiting gate looks (one shared timer per scheduler and period). */
  readonly tickMs: number;
  /** A tick later than this means the event loop was busy: input may sit unread in the socket. */
  readonly maxLateMs: number;
  /** The host sends on another connection (`outgoing`): nothing to wait for. */
  readonly direct: boolean;
  /**
   * Once a tick finds the gap, the send waits a further random [0, spreadMs) and checks the gap again:
   * rooms that see the same gap (every guest paused together, or the host's event loop stalled) then
   * send at different moments, or in a later gap, instead of all in one turn. Default 0.
   */
  readonly spreadMs?: number;
}

/**
 * When a host may send on the connection that carries guests' input (PROTOCOL.md, "Latency").
 *
 * Any data the host sends on that socket within the delayed-ACK timeout (~40 ms) of a received
 * segment puts Linux TCP in pingpong mode: the next input frame's ACK waits for the delayed-ACK
 * timer, and a broker running Nagle (no TCP_NODELAY: Debian's mosquitto default, hosted brokers)
 * holds every later frame until that ACK comes, ~40 ms. So a send waits until the room has heard
 * nothing for `gapMs`; while input flows without such a gap it waits, however long. The gap is
 * judged on a coarse shared tick that came on time, and confirmed on the next turn of the event
 * loop (after pending socket reads), so a busy event loop with input waiting unread is no gap.
 */
export class QuietGate {
  private lastHeardAt = Number.NEGATIVE_INFINITY;
  private readonly waiting = new Set<() => void>();
  private stopTick: (() => void) | undefined;
  private confirm: Subscription | undefined;
  private disposed = false;

  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly options: QuietGateOptions,
  ) {}

  /** Something arrived on the input link at `now` (hot path: the caller has the time already). */
  heard(now: number): void {
    this.lastHeardAt = now;
  }

  /** The scheduler time of the last {@link heard}. */
  get lastHeard(): number {
    return this.lastHeardAt;
  }

  /**
   * Runs `send` once the input link has been quiet for `gapMs` (at once when `direct`).
   * Unsubscribe to cancel.
   */
  whenQuiet(send: () => void): Subscription {
    if (this.disposed) return Subscription.EMPTY;
    if (this.options.direct) {
      send();
      return Subscription.EMPTY;
    }
    this.waiting.add(send);
    if (this.quiet()) this.check();
    else this.wait();
    return new Subscription(() => {
      this.waiting.delete(send);
      if (this.waiting.size === 0) this.idle();
    });
  }

  /** Drops every waiting send. */
  dispose(): void {
    this.disposed = true;
    this.waiting.clear();
    this.idle();
  }

  private quiet(): boolean {
    return this.scheduler.now() - this.lastHeardAt >= this.options.gapMs;
  }

  private wait(): void {
    this.stopTick ??= sharedTicker(this.scheduler, this.options.tickMs, (late) => {
      if (late <= this.options.maxLateMs && this.quiet()) this.check();
    });
  }

  private check(): void {
    // Timers run before the event loop polls sockets: look again once pending reads are done.
    this.confirm ??= this.scheduler.schedule(() => {
      this.confirm = undefined;
      if (!this.quiet()) {
        this.wait();
        return;
      }
      const sends = [...this.waiting];
      this.waiting.clear();
      this.idle();
      for (const send of sends) send();
    }, Math.random() * (this.options.spreadMs ?? 0));
  }

  private idle(): void {
    this.stopTick?.();
    this.stopTick = undefined;
    this.confirm?.unsubscribe();
    this.confirm = undefined;
  }
}
