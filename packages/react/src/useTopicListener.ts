import { bytesCodec, decodeMessages, type Codec, type CoplayError, type Message, type QoS } from '@coplay/core';
import { useEffect, useState } from 'react';
import { useConnection } from './useConnection';
import { useLatest } from './useLatest';

/** Options of {@link useTopicListener}. */
export interface UseTopicListenerOptions<D> {
  /** Subscription QoS; a change subscribes anew. Default 0. */
  qos?: QoS;
  /** Payload codec. Default: the raw `Uint8Array`. */
  codec?: Codec<D>;
  /** Told about each message the codec could not read (it is skipped). */
  onDrop?: (error: CoplayError, message: Message) => void;
  /** Told when the subscription fails (e.g. `SUBSCRIBE_FAILED`). Without it the error is thrown while rendering. */
  onError?: (error: CoplayError) => void;
}

/**
 * Calls `onMessage` for every message of an MQTT filter, in order, none merged, without
 * re-rendering. The latest `onMessage` is used, so it may be an inline function; changing `filter`
 * or `qos` subscribes anew.
 *
 * @example
 * useTopicListener('room/1/chat', (text) => append(text), { codec: textCodec });
 */
export function useTopicListener<D = Uint8Array>(
  filter: string,
  onMessage: (value: D, message: Message) => void,
  options: UseTopicListenerOptions<D> = {},
): void {
  const connection = useConnection();
  const latest = useLatest({ ...options, onMessage });
  // Throwing from a state updater hands the error to the nearest error boundary.
  const [, fail] = useState<void>();
  useEffect(() => {
    const sub = connection
      .topic(filter, options.qos === undefined ? {} : { qos: options.qos })
      .pipe(
        decodeMessages(
          { decode: (bytes) => (latest.current.codec ?? (bytesCodec as unknown as Codec<D>)).decode(bytes) } as Codec<D>,
          (value, message) => [value, message] as const,
          (error, message) => latest.current.onDrop?.(error, message),
        ),
      )
      .subscribe({
        next: ([value, message]) => latest.current.onMessage(value, message),
        error: (e: CoplayError) => {
          const onError = latest.current.onError;
          if (onError) onError(e);
          else
            fail(() => {
              throw e;
            });
        },
      });
    return () => sub.unsubscribe();
  }, [connection, filter, options.qos, latest]);
}
