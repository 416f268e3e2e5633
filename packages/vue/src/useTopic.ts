import { bytesCodec, liveTopic, type Codec, type CoplayError, type LiveTopic, type QoS, type Select } from '@coplay/core';
import { shallowRef, toValue, watch, type MaybeRefOrGetter, type ShallowRef } from 'vue';
import { useConnection } from './useConnection';
import { watchLive } from './watchLive';

/** Options of {@link useTopic}. */
export interface UseTopicOptions<D, T> {
  /** Subscription QoS; a change subscribes anew. Default 0. */
  qos?: QoS;
  /** Payload codec. Default: the raw `Uint8Array`. */
  codec?: Codec<D>;
  /** Keeps part of the decoded value; gets the message too (its topic, for wildcard filters). */
  select?: Select<D, T>;
  /** Told when the subscription fails (e.g. `SUBSCRIBE_FAILED`). Without it the error goes to Vue's error handling. */
  onError?: (error: CoplayError) => void;
}

/**
 * The latest message of an MQTT filter, decoded, as a readonly shallow ref; `undefined` until one
 * arrives (and on the server). `filter` and `options` may be refs or getters: a new filter or
 * `qos` releases the old subscription and subscribes anew; the latest `codec`, `select` and
 * `onError` are used. Messages the codec cannot read are skipped. A burst may be seen only as its
 * last message: use {@link useTopicListener} to see every one.
 *
 * @example
 * const score = useTopic(() => `room/${id.value}/score`, { codec: jsonCodec<Score>() });
 */
export function useTopic<D = Uint8Array, T = D>(
  filter: MaybeRefOrGetter<string>,
  options: MaybeRefOrGetter<UseTopicOptions<D, T>> = {},
): Readonly<ShallowRef<T | undefined>> {
  const connection = useConnection();
  const opts = () => toValue(options);
  const live = shallowRef<LiveTopic<T>>();
  watch(
    [() => toValue(filter), () => opts().qos],
    ([f, qos]) => {
      live.value = liveTopic<D, T>(connection, f, {
        ...(qos === undefined ? {} : { qos }),
        codec: { decode: (bytes) => (opts().codec ?? (bytesCodec as unknown as Codec<D>)).decode(bytes) } as Codec<D>,
        select: (value, message) => {
          const select = opts().select;
          return select ? select(value, message) : (value as unknown as T);
        },
      });
    },
    { immediate: true },
  );
  return watchLive(() => live.value, undefined, () => opts().onError);
}
