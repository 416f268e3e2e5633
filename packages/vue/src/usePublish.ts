import type { Codec, PublishOptions } from '@coplay/core';
import { useConnection } from './useConnection';

/** The function {@link usePublish} returns. */
export type Publish<T> = (topic: string, value: T, options?: PublishOptions) => Promise<boolean>;

/**
 * A function that publishes on the provided connection (queued while offline, see
 * `Connection.publish`), encoding values with `codec` when given. Never throws: a value the codec
 * cannot encode is a rejected promise, like bad input to `publish`.
 *
 * @example
 * const publish = usePublish(jsonCodec<Score>());
 * publish('game/score', { p1: 3 }, { qos: 1 });
 */
export function usePublish<T = string | Uint8Array>(codec?: Codec<T>): Publish<T> {
  const connection = useConnection();
  return (topic, value, options) => {
    let payload: string | Uint8Array;
    try {
      payload = codec ? codec.encode(value) : (value as unknown as string | Uint8Array);
    } catch (e) {
      return Promise.reject(e); // like Connection.publish: never a synchronous throw
    }
    return connection.publish(topic, payload, options);
  };
}
