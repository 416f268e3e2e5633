import type { SchedulerLike } from 'rxjs';

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
