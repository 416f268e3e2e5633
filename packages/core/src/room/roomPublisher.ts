import type { SchedulerLike } from 'rxjs';
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

/** How long `close()` waits for its farewells to be acknowledged. */
export const FAREWELL_WAIT_MS = 2000;

/**
 * Settles when every farewell (`closed`, `leave`, cleared presences) settled, or after
 * {@link FAREWELL_WAIT_MS}: one written just as the link died stays in flight until the link
 * returns or the connection closes (a QoS 1 message that may have arrived is never given up), and a
 * caller awaiting `close()` before closing that connection must not wait that long. The wills and
 * the other side's silence tell the same a little later.
 */
export function farewells(sends: readonly Promise<unknown>[], scheduler: SchedulerLike): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = scheduler.schedule(() => resolve(), FAREWELL_WAIT_MS);
    void Promise.allSettled(sends).then(() => {
      timer.unsubscribe();
      resolve();
    });
  });
}
