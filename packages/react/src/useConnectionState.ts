import type { ConnectionState } from '@coplay/core';
import { useMemo } from 'react';
import { livePair } from './livePair';
import { useConnection } from './useConnection';
import { useLive } from './useLive';

/** The connection's state; `{ status: 'idle' }` on the server and before an owned connection starts. */
export function useConnectionState(): ConnectionState {
  const connection = useConnection();
  return useLive(useMemo(() => livePair(connection.state$, () => connection.state), [connection]));
}
