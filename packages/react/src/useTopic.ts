import { bytesCodec, liveTopic, type Codec, type CoplayError, type QoS, type Select } from '@coplay/core';
import { useMemo } from 'react';
import { useConnection } from './useConnection';
import { useLatest } from './useLatest';
import { useLiveWith } from './useLiveWith';

/** Options of {@link useTopic}. */
export interface UseTopicOptions<D, T> {
  /** Subscription QoS; a change subscribes anew. Default 0. */
  qos?: QoS;
  /** Payload codec. Default: the raw `Uint8Array`. */
  codec?: Codec<D>;
  /** Keeps part of the decoded value; gets the message too (its topic, for wildcard filters). */
  select?: Select<D, T>;
  /** Told when the subscription fails (e.g. `SUBSCRIBE_FAILED`). Without it the error is thrown while rendering. */
  onError?: (error: CoplayError) => void;
}

/**
 * The latest message of an MQTT filter, decoded; `undefined` until one arrives (and on the server).
 * Re-renders per message, so a burst may render only its last message: use {@link useTopicListener}
 * to see every one. Messages the codec cannot read are skipped. `codec`, `select` and `onError` may
 * be inline functions; changing `filter` or `qos` subscribes anew.
 *
 * @example
 * const score = useTopic('game/score', { codec: jsonCodec<Score>(), select: (s) => s.p1 });
 */
export function useTopic<D = Uint8Array, T = D>(filter: string, options: UseTopicOptions<D, T> = {}): T | undefined {
  const connection = useConnection();
  const latest = useLatest(options);
  const onError = useLatest(options.onError);
  const live = useMemo(
    () =>
      liveTopic<D, T>(connection, filter, {
        ...(options.qos === undefined ? {} : { qos: options.qos }),
        codec: { decode: (bytes) => (latest.current.codec ?? (bytesCodec as unknown as Codec<D>)).decode(bytes) } as Codec<D>,
        select: (value, message) => {
          const select = latest.current.select;
          return select ? select(value, message) : (value as unknown as T);
        },
      }),
    [connection, filter, options.qos, latest],
  );
  return useLiveWith(live, undefined, onError);
}
