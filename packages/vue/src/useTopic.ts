import { liveTopic, type Codec, type QoS, type Select } from '@coplay/core';
import { toValue, type MaybeRefOrGetter, type ShallowRef } from 'vue';
import { useConnection } from './useConnection';
import { useStream } from './useStream';

/** Options of {@link useTopic}. */
export interface UseTopicOptions<D, T> {
  /** Subscription QoS. Default 0. */
  qos?: QoS;
  /** Payload codec. Default: the raw `Uint8Array`. */
  codec?: Codec<D>;
  /** Keeps part of the decoded value; gets the message too (its topic, for wildcard filters). */
  select?: Select<D, T>;
}

/**
 * The latest message of an MQTT filter, decoded, as a readonly shallow ref; `undefined` until one
 * arrives (and on the server). `filter` may be a ref or getter: when it changes, the old filter is
 * released and the new one subscribed. Messages the codec cannot read are skipped. A burst may be
 * seen only as its last message: use {@link useTopicListener} to see every one.
 *
 * @example
 * const score = useTopic(() => `room/${id.value}/score`, { codec: jsonCodec<Score>() });
 */
export function useTopic<D = Uint8Array, T = D>(
  filter: MaybeRefOrGetter<string>,
  options: UseTopicOptions<D, T> = {},
): Readonly<ShallowRef<T | undefined>> {
  const connection = useConnection();
  return useStream(
    () => toValue(filter),
    (f) => {
      const live = liveTopic<D, T>(connection, f, options);
      return [live.value$, () => live.value];
    },
  );
}
