import type { ConnectionState } from '@coplay/core';
import { useConnection } from './useConnection';
import { useLive } from './useLive';

/** The connection's state; `{ status: 'idle' }` on the server and before an owned connection starts. */
export function useConnectionState(): ConnectionState {
  return useLive(useConnection().state);
}
