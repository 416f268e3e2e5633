import type { Connection, ConnectionOptions, ConnectionState } from '@coplay/core';
import { firstMatch } from './firstMatch';

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
    await firstMatch<ConnectionState>(conn.state.value$, (s) => s.status === 'connected', timeoutMs, `connection ${conn.clientId} to ${String(options.url)}`);
  } catch (e) {
    await conn.close();
    throw e;
  }
  return conn;
}
