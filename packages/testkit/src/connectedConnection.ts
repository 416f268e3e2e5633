import type { Connection, ConnectionOptions } from '@coplay/core';
import { filter, firstValueFrom, timeout } from 'rxjs';

/**
 * A connection made by `createConnection` (from @coplay/core, passed in: core's own tests use this kit,
 * so the kit takes no runtime dependency on core) once it has reached `connected`. The caller closes
 * it. Rejects, closing it, if it is not connected within `timeoutMs`.
 */
export async function connectedConnection(
  createConnection: (options: ConnectionOptions) => Connection,
  options: ConnectionOptions,
  timeoutMs = 10_000,
): Promise<Connection> {
  const conn = createConnection(options);
  try {
    await firstValueFrom(conn.state.value$.pipe(filter((s) => s.status === 'connected'), timeout(timeoutMs)));
  } catch (e) {
    await conn.close();
    throw e;
  }
  return conn;
}
