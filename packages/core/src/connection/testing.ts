import { filter, firstValueFrom, timeout, type VirtualTimeScheduler } from 'rxjs';
import type { Connection, ConnectionState, ConnectionStatus } from './types';

/** Test helper: resolves with the first state (current or future) that satisfies `predicate`. */
export function waitForStateWhere(conn: Connection, predicate: (s: ConnectionState) => boolean, ms = 10_000): Promise<ConnectionState> {
  return firstValueFrom(
    conn.state.value$.pipe(
      filter(predicate),
      timeout({ first: ms, with: () => { throw new Error(`timed out waiting for a state; last was ${JSON.stringify(conn.state.value)}`); } }),
    ),
  );
}

/** Test helper: resolves with the first state of `status` (current or future). */
export function waitForState<S extends ConnectionStatus>(
  conn: Connection,
  status: S,
  ms = 10_000,
): Promise<Extract<ConnectionState, { status: S }>> {
  return waitForStateWhere(conn, (s) => s.status === status, ms) as Promise<Extract<ConnectionState, { status: S }>>;
}

/** Test helper: runs virtual time forward by `ms`, executing every action due until then. */
export function advance(scheduler: VirtualTimeScheduler, ms: number): void {
  const target = scheduler.frame + ms;
  scheduler.maxFrames = target;
  scheduler.flush();
  scheduler.frame = target;
}
