import { CoplayError, type Connection } from '@coplay/core';
import { getCurrentInstance, inject, onMounted } from 'vue';
import { coplayKey } from './coplayKey';
import { isServer } from './isServer';

/**
 * The connection provided by {@link CoplayPlugin} or {@link provideCoplay}. An owned connection
 * starts connecting once the calling component has mounted (never on the server).
 * @throws CoplayError `NO_CONNECTION` when none is provided.
 */
export function useConnection(): Connection {
  const provided = inject(coplayKey, undefined);
  if (!provided) throw new CoplayError('NO_CONNECTION', 'coplay composables need app.use(CoplayPlugin, ...) or provideCoplay()');
  const { start } = provided;
  if (start && !isServer) {
    if (getCurrentInstance()) onMounted(start);
    else start();
  }
  return provided.connection;
}
