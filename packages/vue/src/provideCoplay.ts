import type { Connection } from '@coplay/core';
import { onMounted, onScopeDispose, provide } from 'vue';
import { coplayKey } from './coplayKey';
import type { CoplaySource } from './CoplaySource';
import { provided } from './provided';

/**
 * Provides a connection to this component's descendants (call it in `setup`); returns it.
 * Given `{ options }`, the connection is created idle, connected once the component is mounted
 * (never on the server) and closed when the component's scope ends, after the rooms below it have
 * said goodbye. A given `{ connection }` is left open.
 *
 * @example
 * provideCoplay({ options: { url: 'wss://broker.example/mqtt' } });
 */
export function provideCoplay(source: CoplaySource): Connection {
  const [value, close] = provided(source);
  provide(coplayKey, value);
  if (close) {
    onMounted(() => value.start?.());
    onScopeDispose(close);
  }
  return value.connection;
}
