import { CoplayError, type Connection } from '@coplay/core';
import { inject } from 'vue';
import { coplayKey } from './coplayKey';

/**
 * The connection provided by {@link CoplayPlugin} or {@link provideCoplay}.
 * @throws CoplayError `NO_CONNECTION` when none is provided.
 */
export function useConnection(): Connection {
  const connection = inject(coplayKey, undefined);
  if (!connection) throw new CoplayError('NO_CONNECTION', 'coplay composables need app.use(CoplayPlugin, ...) or provideCoplay()');
  return connection;
}
