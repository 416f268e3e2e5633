import mqttMatch from 'mqtt-match';
import { Observable, Subject, type SchedulerLike, type Subscription } from 'rxjs';
import { CoplayError } from '../errors/CoplayError';
import type { Message, QoS } from './types';

/** Where the registry sends SUBSCRIBE / UNSUBSCRIBE: the live link. */
export interface SubscribeSink {
  /** Sends one SUBSCRIBE; `done` gets the granted codes (≥ 0x80: refused), or `undefined` if the link dropped. */
  subscribe(list: ReadonlyArray<{ filter: string; qos: QoS }>, done: (codes: ReadonlyArray<number | undefined> | undefined) => void): void;
  unsubscribe(filter: string): void;
}

interface Entry {
  readonly filter: string;
  /** The highest QoS any subscriber asked for while the entry lives. */
  qos: QoS;
  readonly subject: Subject<Message>;
  refs: number;
  /** SUBSCRIBE sent on the current sink. */
  subscribed: boolean;
  grace?: Subscription | undefined;
  /** Refusals in a row (reset by a grant); see `refusalRetryMs`. */
  refusals: number;
  retry?: Subscription | undefined;
}

/** Routing results remembered per topic; bounded so a flood of distinct topics cannot grow memory. */
const ROUTE_CACHE_LIMIT = 1024;

/** `mqtt-match`, plus the spec's rule that a leading wildcard does not match a `$` topic. */
function matches(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  return mqttMatch(filter, topic);
}

/**
 * The live subscriptions of a connection: reference-counted per filter (one SUBSCRIBE for many
 * subscribers), an UNSUBSCRIBE only after a grace period once the last one leaves, everything
 * subscribed again on each new link, and incoming messages routed to the matching filters.
 *
 * Routing: exact filters are a map lookup; wildcard filters are matched with `mqtt-match`, and the
 * result per topic is cached until the set of filters changes, so a 60 Hz stream on one topic costs
 * one map lookup per message.
 */
export class SubscriptionRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly routes = new Map<string, Entry[]>();
  private sink: SubscribeSink | undefined;
  private closed = false;

  /**
   * @param refusalRetryMs Delays before sending a refused SUBSCRIBE again, one per retry; empty: a refusal
   *   is final at once. Brokers whose refusals can be temporary (NATS refuses QoS 1 subscriptions while
   *   JetStream elects a leader after a node died) get a few seconds of retries from their profile.
   */
  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly graceMs: number,
    private readonly refusalRetryMs: readonly number[] = [],
    /** Told about a subscription the broker refused for good (the connection puts it on `errors$`). */
    private readonly onRefused: (error: CoplayError) => void = () => undefined,
  ) {}

  /** Filters currently held (for tests and diagnostics). */
  get filters(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * A cold, ref-counted stream of the messages matching `filter`. Errors with `CLOSED` after {@link close}.
   * A subscriber asking for a higher QoS than the filter holds upgrades it (one more SUBSCRIBE); it is
   * never downgraded while the filter lives.
   */
  topic(filter: string, qos: QoS): Observable<Message> {
    return new Observable<Message>((subscriber) => {
      if (this.closed) {
        subscriber.error(new CoplayError('CLOSED', `connection is closed: cannot subscribe to ${filter}`));
        return;
      }
      let entry = this.entries.get(filter);
      if (!entry) {
        entry = { filter, qos, subject: new Subject<Message>(), refs: 0, subscribed: false, refusals: 0 };
        this.entries.set(filter, entry);
        this.routes.clear();
      }
      const e = entry;
      if (qos > e.qos) {
        // A later subscriber wants more: SUBSCRIBE again (the broker replaces the subscription's QoS).
        e.qos = qos;
        if (e.subscribed && this.sink) {
          e.subscribed = false;
          e.retry?.unsubscribe();
          e.retry = undefined;
        }
      }
      e.refs++;
      e.grace?.unsubscribe();
      e.grace = undefined;
      const inner = e.subject.subscribe(subscriber);
      if (!e.subscribed && this.sink) this.send(this.sink, [e]);
      return () => {
        inner.unsubscribe();
        e.refs--;
        if (e.refs > 0 || this.closed) return;
        // A grace period absorbs unsubscribe/resubscribe churn (React StrictMode, route changes).
        e.grace = this.scheduler.schedule(() => {
          e.grace = undefined;
          if (e.refs > 0 || this.entries.get(filter) !== e) return;
          this.remove(e);
          e.subject.complete();
          if (e.subscribed) this.sink?.unsubscribe(filter);
        }, this.graceMs);
      };
    });
  }

  /** A new link (subscribe everything on it) or none (the link dropped). */
  setSink(sink: SubscribeSink | undefined): void {
    this.sink = sink;
    for (const e of this.entries.values()) {
      e.subscribed = false;
      e.retry?.unsubscribe();
      e.retry = undefined;
    }
    if (sink) this.send(sink, [...this.entries.values()]);
  }

  /** Delivers a message to every matching filter; returns how many filters matched. */
  route(message: Message): number {
    let targets = this.routes.get(message.topic);
    if (!targets) {
      targets = [];
      for (const e of this.entries.values()) if (e.filter === message.topic || matches(e.filter, message.topic)) targets.push(e);
      if (this.routes.size >= ROUTE_CACHE_LIMIT) this.routes.clear();
      this.routes.set(message.topic, targets);
    }
    for (const e of targets) e.subject.next(message);
    return targets.length;
  }

  /** Completes every stream; later subscribers get `CLOSED`. */
  close(): void {
    this.closed = true;
    this.sink = undefined;
    for (const e of this.entries.values()) {
      e.grace?.unsubscribe();
      e.retry?.unsubscribe();
      e.subject.complete();
    }
    this.entries.clear();
    this.routes.clear();
  }

  private remove(e: Entry): void {
    e.retry?.unsubscribe();
    this.entries.delete(e.filter);
    this.routes.clear();
  }

  private send(sink: SubscribeSink, list: Entry[]): void {
    if (list.length === 0) return;
    for (const e of list) e.subscribed = true;
    sink.subscribe(
      list.map((e) => ({ filter: e.filter, qos: e.qos })),
      (codes) => {
        if (!codes || this.sink !== sink) return; // a dropped link resubscribes on the next CONNACK
        list.forEach((e, i) => {
          const code = codes[i];
          if (this.entries.get(e.filter) !== e) return;
          if (code === undefined || code < 0x80) {
            e.refusals = 0;
            return;
          }
          const delay = this.refusalRetryMs[e.refusals++];
          if (delay !== undefined) {
            // Maybe temporary (the profile says so): ask again later on the same link; a new link asks anyway.
            e.subscribed = false;
            e.retry = this.scheduler.schedule(() => {
              e.retry = undefined;
              if (this.sink === sink && !e.subscribed && this.entries.get(e.filter) === e) this.send(sink, [e]);
            }, delay);
            return;
          }
          this.remove(e);
          const refused = new CoplayError('SUBSCRIBE_FAILED', `broker refused the subscription to ${e.filter}`, { details: { reasonCode: code } });
          this.onRefused(refused);
          e.subject.error(refused);
        });
      },
    );
  }
}
