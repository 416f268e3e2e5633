import { BehaviorSubject, ignoreElements, merge, share, tap, type Observable } from 'rxjs';
import { bytesCodec } from '../codec/bytesCodec';
import type { Codec } from '../codec/Codec';
import type { Connection, QoS } from '../connection/types';
import type { CoplayError } from '../errors/CoplayError';
import { decodeMessages, type Select } from './decodeMessages';
import type { Live } from './Live';

/** Options of {@link liveTopic}. */
export interface LiveTopicOptions<D, T> {
  /** Subscription QoS. Default 0. */
  qos?: QoS;
  /** Payload codec. Default {@link bytesCodec} (the raw `Uint8Array`). */
  codec?: Codec<D>;
  /** Keeps part of the decoded value (or derives one from it and the message's topic). */
  select?: Select<D, T>;
}

/** The latest message of a topic, decoded; see {@link liveTopic}. */
export interface LiveTopic<T> extends Live<T | undefined> {
  /** Messages skipped because the codec or `select` threw; only grows. Replays the current count. */
  readonly dropped$: Observable<number>;
  /** Synchronous count of skipped messages. */
  readonly dropped: number;
  /** Why the last skipped message was skipped. */
  readonly lastError: CoplayError | undefined;
}

/**
 * The latest decoded message of an MQTT filter as a {@link Live} value, `undefined` until the first.
 *
 * Subscribing to `value$` holds the connection's ref-counted subscription (all subscribers of one
 * `LiveTopic` share it, and the payload is decoded once per message); the last one leaving releases
 * it. `value` is the latest message seen, kept across unsubscribing so a quick re-subscribe (React
 * StrictMode) does not lose a retained message. A message the codec cannot read is counted in
 * `dropped` and skipped; it never errors `value$`.
 *
 * @throws CoplayError `INVALID_FILTER` synchronously for a malformed filter.
 * @example
 * const score = liveTopic(conn, 'game/score', { codec: jsonCodec<Score>(), select: (s) => s.total });
 * score.value$.subscribe((total) => render(total));
 */
export function liveTopic<D = Uint8Array, T = D>(
  connection: Connection,
  filter: string,
  options: LiveTopicOptions<D, T> = {},
): LiveTopic<T> {
  const value = new BehaviorSubject<T | undefined>(undefined);
  const dropped = new BehaviorSubject(0);
  let lastError: CoplayError | undefined;
  const codec = options.codec ?? (bytesCodec as unknown as Codec<D>);
  // topic() validates the filter now; it only subscribes when feed$ is subscribed.
  const feed$ = connection.topic(filter, options.qos === undefined ? {} : { qos: options.qos }).pipe(
    decodeMessages(codec, options.select, (error) => {
      lastError = error;
      dropped.next(dropped.value + 1);
    }),
    tap((v) => value.next(v)),
    ignoreElements(),
    share(),
  );
  return {
    get value() {
      return value.value;
    },
    value$: merge(feed$, value),
    dropped$: dropped.asObservable(),
    get dropped() {
      return dropped.value;
    },
    get lastError() {
      return lastError;
    },
  };
}
