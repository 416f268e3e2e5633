import { bytesCodec, decodeMessages, type Codec, type CoplayError, type Message, type QoS } from '@coplay/core';
import { toValue, watch, type MaybeRefOrGetter } from 'vue';
import { errorSink } from './errorSink';
import { isServer } from './isServer';
import { useConnection } from './useConnection';

/** Options of {@link useTopicListener}. */
export interface UseTopicListenerOptions<D> {
  /** Subscription QoS; a change subscribes anew. Default 0. */
  qos?: QoS;
  /** Payload codec. Default: the raw `Uint8Array`. */
  codec?: Codec<D>;
  /** Told about each message the codec could not read (it is skipped). */
  onDrop?: (error: CoplayError, message: Message) => void;
  /** Told when the subscription fails (e.g. `SUBSCRIBE_FAILED`). Without it the error goes to Vue's error handling. */
  onError?: (error: CoplayError) => void;
}

/**
 * Calls `onMessage` for every message of an MQTT filter, in order, none merged, until the effect
 * scope ends. `filter` and `options` may be refs or getters: a new filter or `qos` releases the
 * old subscription and subscribes anew; the latest `codec`, `onDrop` and `onError` are used.
 * Nothing subscribes on the server.
 *
 * @example
 * useTopicListener('room/1/chat', (text) => lines.value.push(text), { codec: textCodec });
 */
export function useTopicListener<D = Uint8Array>(
  filter: MaybeRefOrGetter<string>,
  onMessage: (value: D, message: Message) => void,
  options: MaybeRefOrGetter<UseTopicListenerOptions<D>> = {},
): void {
  const connection = useConnection();
  const opts = () => toValue(options);
  const report = errorSink(() => opts().onError);
  watch(
    [() => toValue(filter), () => opts().qos],
    ([f, qos], _old, onCleanup) => {
      if (isServer) return;
      const sub = connection
        .topic(f, qos === undefined ? {} : { qos })
        .pipe(
          decodeMessages(
            { decode: (bytes) => (opts().codec ?? (bytesCodec as unknown as Codec<D>)).decode(bytes) } as Codec<D>,
            (v, m) => [v, m] as const,
            (error, message) => opts().onDrop?.(error, message),
          ),
        )
        .subscribe({ next: ([v, m]) => onMessage(v, m), error: report });
      onCleanup(() => sub.unsubscribe());
    },
    { immediate: true },
  );
}
