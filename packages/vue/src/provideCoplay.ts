import type { Connection, ConnectionOptions } from '@coplay/core';
import { onMounted, onScopeDispose, provide } from 'vue';
import { coplayKey } from './coplayKey';
import { ownConnection } from './ownConnection';

/**
 * Provides a connection to this component's descendants (call it in `setup`); returns it.
 * Given options, the connection is created idle, connected once the component is mounted (never
 * on the server) and closed when the component's scope ends. A given connection is left open.
 */
export function provideCoplay(source: Connection | ConnectionOptions): Connection {
  const [connection, owned] = ownConnection(source);
  provide(coplayKey, connection);
  if (owned) {
    onMounted(() => owned.connect());
    onScopeDispose(() => void owned.close());
  }
  return connection;
}
