import type { Connection, PublishOptions } from '../connection/types';
import type { CoplayError } from '../errors/CoplayError';
import { refusalOf } from './refusalOf';

/**
 * How a room publishes: a refusal the broker will repeat ends the room through `fail`; anything a
 * reconnect heals (offline, link lost, closed) resolves `false`, because the protocol's re-joins
 * and keyframes repair it. Host and guest share it.
 */
export function roomPublisher(
  connection: Connection,
  fail: (refusal: CoplayError) => void,
): (topic: string, payload: string | Uint8Array, options: PublishOptions) => Promise<boolean> {
  return (topic, payload, options) =>
    connection.publish(topic, payload, options).catch((e: unknown) => {
      const refusal = refusalOf(e, topic);
      if (refusal) fail(refusal);
      return false;
    });
}
