import type { Codec, PublishOptions } from '@coplay/core';
import { useConnection } from './useConnection';

/** The function {@link usePublish} returns. */
export type Publish<T> = (topic: string, value: T, options?: PublishOptions) => Promise<boolean>;

/**
 * A function that publishes on the provided connection (queued while offline, see
 * `Connection.publish`), encoding values with `codec` when given.
 *
 * @example
 * const publish = usePublish(jsonCodec<Score>());
 * publish('game/score', { p1: 3 }, { qos: 1 });
 */
export function usePublish<T = string | Uint8Array>(codec?: Codec<T>): Publish<T> {
  const connection = useConnection();
  return (topic, value, options) =>
    connection.publish(topic, codec ? codec.encode(value) : (value as unknown as string | Uint8Array), options);
}
