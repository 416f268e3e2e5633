import type { ConnectionState } from '@coplay/core';
import type { ShallowRef } from 'vue';
import { useConnection } from './useConnection';
import { useLive } from './useLive';

/** The connection's state as a readonly shallow ref; `{ status: 'idle' }` on the server. */
export function useConnectionState(): Readonly<ShallowRef<ConnectionState>> {
  return useLive(useConnection().state);
}
