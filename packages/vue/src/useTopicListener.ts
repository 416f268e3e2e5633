import { bytesCodec, decodeMessages, type Codec, type CoplayError, type Message, type QoS } from '@coplay/core';
import { toValue, watch, type MaybeRefOrGetter } from 'vue';
import { isServer } from './isServer';
import { useConnection } from './useConnection';

/** Options of {@link useTopicListener}. */
export interface UseTopicListenerOptions<D> {
  /** Subscription QoS. Default 0. */
  qos?: QoS;
  /** Payload codec. Default: the raw `Uint8Array`. */
  codec?: Codec<D>;
  /** Told about each message the codec could not read (it is skipped). */
  onDrop?: (error: CoplayError, message: Message) => void;
}

/**
 * Calls `onMessage` for every message of an MQTT filter, in order, none merged, until the effect
 * scope ends. `filter` may be a ref or getter: when it changes, the old filter is released and the
 * new one subscribed. Nothing subscribes on the server.
 *
 * @example
 * useTopicListener('room/1/chat', (text) => lines.value.push(text), { codec: textCodec });
 */
export function useTopicListener<D = Uint8Array>(
  filter: MaybeRefOrGetter<string>,
  onMessage: (value: D, message: Message) => void,
  options: UseTopicListenerOptions<D> = {},
): void {
  const connection = useConnection();
  watch(
    () => toValue(filter),
    (f, _old, onCleanup) => {
      if (isServer) return;
      const sub = connection
        .topic(f, { qos: options.qos })
        .pipe(
          decodeMessages(options.codec ?? (bytesCodec as unknown as Codec<D>), (v, m) => [v, m] as const, options.onDrop),
        )
        .subscribe(([v, m]) => onMessage(v, m));
      onCleanup(() => sub.unsubscribe());
    },
    { immediate: true },
  );
}
