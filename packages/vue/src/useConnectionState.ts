import type { ConnectionState } from '@coplay/core';
import type { ShallowRef } from 'vue';
import { useConnection } from './useConnection';
import { useStream } from './useStream';

/** The connection's state as a readonly shallow ref; `{ status: 'idle' }` on the server. */
export function useConnectionState(): Readonly<ShallowRef<ConnectionState>> {
  const connection = useConnection();
  return useStream(() => connection, (c) => [c.state$, () => c.state]);
}
