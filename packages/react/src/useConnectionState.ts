import type { ConnectionState } from '@coplay/core';
import { useConnection } from './useConnection';
import { useStore } from './useStore';

/** The connection's state; `{ status: 'idle' }` on the server and before an owned connection starts. */
export function useConnectionState(): ConnectionState {
  const connection = useConnection();
  return useStore(connection.state$, () => connection.state);
}
