import { createConnection, type Connection, type ConnectionOptions } from '@coplay/core';

/**
 * The connection to provide: `source` itself, or a new idle one the caller owns (returned second),
 * to be connected once mounted on the client, so server rendering opens no socket.
 */
export function ownConnection(source: Connection | ConnectionOptions): [Connection, Connection | undefined] {
  if (typeof (source as Connection).topic === 'function') return [source as Connection, undefined];
  const owned = createConnection({ ...(source as ConnectionOptions), autoConnect: false });
  return [owned, owned];
}
