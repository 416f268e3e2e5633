import { BehaviorSubject, type SchedulerLike, type Subscription } from 'rxjs';
import { CoplayError } from '../errors/CoplayError';
import type { OverflowPolicy, QoS, QueueOptions, QueueStats } from './types';

/** A message waiting for the link, with the promise handlers of its `publish` call. */
export interface QueuedMessage {
  readonly seq: number;
  readonly topic: string;
  readonly payload: string | Uint8Array;
  readonly bytes: number;
  readonly qos: QoS;
  readonly retain: boolean;
  readonly coalesceKey: string | undefined;
  /** Scheduler time after which the message must not be sent; `Infinity`: never expires. */
  readonly expiresAt: number;
  /** What to do if the link drops under a QoS 0 message (QoS 1/2 always go back to the queue). Default 'queue'. */
  readonly whenOffline?: 'queue' | 'drop' | 'fail';
  /**
   * Set once a QoS 1/2 message was written to a link. Such a message may already have reached the
   * broker, so it is never dropped, coalesced or expired (that would claim "not sent"): it is sent
   * again until acknowledged, or rejected with `CLOSED` on close.
   */
  sent?: boolean;
  /** Link drops in a row while this was the oldest unacknowledged message (poison detection). */
  drops?: number;
  resolve(sent: boolean): void;
  reject(error: CoplayError): void;
  expiry?: Subscription;
}

export type ResolvedQueueOptions = Required<QueueOptions>;

export const DEFAULT_QUEUE: ResolvedQueueOptions = {
  maxMessages: 1000,
  maxBytes: 1024 * 1024,
  ttlMs: 30_000,
  overflow: 'drop-oldest',
};

/** Longest delay a JavaScript timer can hold (2^31 − 1 ms); longer TTLs are re-armed in steps. */
const MAX_TIMER_MS = 2_147_483_647;

/** Whether the queue may settle this message with `false` (drop, coalesce, expire). */
const discardable = (m: QueuedMessage) => !(m.sent && m.qos > 0);

const EMPTY_STATS: QueueStats = { depth: 0, bytes: 0, dropped: 0, expired: 0, coalesced: 0, flushed: 0 };

/**
 * The bounded offline queue: ordered by publish call, bounded in count and bytes, every entry
 * expiring after its TTL, and at most one entry per coalesce key. Every message that leaves it
 * other than by being sent settles its promise (`false` when dropped, rejected on close), and is
 * counted in the stats, so nothing is lost silently.
 */
export class SendQueue {
  private items: QueuedMessage[] = [];
  private bytes = 0;
  private readonly stats$ = new BehaviorSubject<QueueStats>(EMPTY_STATS);

  constructor(
    private readonly options: ResolvedQueueOptions,
    private readonly scheduler: SchedulerLike,
  ) {}

  /** Statistics, replaying the current value. */
  readonly changes$ = this.stats$.asObservable();

  get stats(): QueueStats {
    return this.stats$.getValue();
  }

  get size(): number {
    return this.items.length;
  }

  /** Adds a message; applies coalescing and the overflow policy. */
  enqueue(message: QueuedMessage): void {
    let coalesced = 0;
    let dropped = 0;
    if (message.bytes > this.options.maxBytes) {
      message.reject(
        new CoplayError('QUEUE_FULL', `message of ${message.bytes} bytes exceeds the queue's maxBytes (${this.options.maxBytes})`),
      );
      return;
    }
    if (message.coalesceKey !== undefined) {
      const prev = this.items.findIndex((m) => m.coalesceKey === message.coalesceKey && discardable(m));
      if (prev >= 0) {
        const [old] = this.items.splice(prev, 1);
        this.discard(old!);
        old!.resolve(false);
        coalesced++;
      }
    }
    while (this.items.length + 1 > this.options.maxMessages || this.bytes + message.bytes > this.options.maxBytes) {
      const policy: OverflowPolicy = this.options.overflow;
      const victim = policy === 'drop-oldest' ? this.items.findIndex(discardable) : -1;
      if (policy === 'drop-oldest' && victim < 0) {
        // Nothing older to evict (maxMessages 0, maxBytes 0, or only messages already sent once): the new one is dropped.
        this.bump({ coalesced, dropped: dropped + 1 });
        message.resolve(false);
        return;
      }
      if (policy === 'error') {
        this.bump({ coalesced });
        message.reject(new CoplayError('QUEUE_FULL', `offline queue is full (${this.items.length} messages, ${this.bytes} bytes)`));
        return;
      }
      if (policy === 'drop-newest') {
        this.bump({ coalesced, dropped: 1 });
        message.resolve(false);
        return;
      }
      const [oldest] = this.items.splice(victim, 1) as [QueuedMessage];
      this.discard(oldest);
      oldest.resolve(false);
      dropped++;
    }
    this.insert(message);
    this.bump({ coalesced, dropped });
  }

  /** Puts back messages whose send failed because the link dropped, in their original order. */
  requeue(message: QueuedMessage): void {
    if (discardable(message) && message.expiresAt <= this.scheduler.now()) {
      message.resolve(false);
      this.bump({ expired: 1 });
      return;
    }
    this.insert(message);
    this.bump({});
  }

  /** Removes and returns every unexpired message, oldest first. */
  drain(): QueuedMessage[] {
    const now = this.scheduler.now();
    const out: QueuedMessage[] = [];
    let expired = 0;
    for (const m of this.items) {
      m.expiry?.unsubscribe();
      if (discardable(m) && m.expiresAt <= now) {
        m.resolve(false);
        expired++;
      } else out.push(m);
    }
    this.items = [];
    this.bytes = 0;
    this.bump({ expired, flushed: out.length });
    return out;
  }

  /** Rejects everything (on close or when giving up) and completes the stats stream if `final`. */
  rejectAll(error: CoplayError, final: boolean): void {
    const items = this.items;
    this.items = [];
    this.bytes = 0;
    for (const m of items) {
      m.expiry?.unsubscribe();
      m.reject(error);
    }
    this.bump({});
    if (final) this.stats$.complete();
  }

  private insert(message: QueuedMessage): void {
    let i = this.items.length;
    while (i > 0 && this.items[i - 1]!.seq > message.seq) i--;
    this.items.splice(i, 0, message);
    this.bytes += message.bytes;
    this.arm(message);
  }

  private arm(message: QueuedMessage): void {
    if (message.expiresAt === Number.POSITIVE_INFINITY || !discardable(message)) return;
    // Timers clamp delays ≥ 2^31 ms to ~0: wait in steps and re-check the deadline when one fires.
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, message.expiresAt - this.scheduler.now()));
    message.expiry = this.scheduler.schedule(() => this.expire(message), delay);
  }

  private expire(message: QueuedMessage): void {
    const i = this.items.indexOf(message);
    if (i < 0) return;
    if (this.scheduler.now() < message.expiresAt) {
      this.arm(message);
      return;
    }
    this.items.splice(i, 1);
    this.bytes -= message.bytes;
    message.resolve(false);
    this.bump({ expired: 1 });
  }

  private discard(message: QueuedMessage): void {
    message.expiry?.unsubscribe();
    this.bytes -= message.bytes;
  }

  private bump(delta: Partial<Omit<QueueStats, 'depth' | 'bytes'>>): void {
    if (this.stats$.closed) return;
    const s = this.stats$.getValue();
    this.stats$.next({
      depth: this.items.length,
      bytes: this.bytes,
      dropped: s.dropped + (delta.dropped ?? 0),
      expired: s.expired + (delta.expired ?? 0),
      coalesced: s.coalesced + (delta.coalesced ?? 0),
      flushed: s.flushed + (delta.flushed ?? 0),
    });
  }
}
