import type { ConnectionState } from '@coplay/core';
import type { ShallowRef } from 'vue';
import { livePair } from './livePair';
import { useConnection } from './useConnection';
import { useLive } from './useLive';

/** The connection's state as a readonly shallow ref; `{ status: 'idle' }` on the server. */
export function useConnectionState(): Readonly<ShallowRef<ConnectionState>> {
  const connection = useConnection();
  return useLive(livePair(connection.state$, () => connection.state));
}
