import type { ConnectionState } from '@coplay/core';
import { useConnection } from './useConnection';
import { useValue } from './useValue';

/** The connection's state; `{ status: 'idle' }` on the server and before an owned connection starts. */
export function useConnectionState(): ConnectionState {
  return useValue(useConnection(), 'state');
}
