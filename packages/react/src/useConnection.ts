import { CoplayError, type Connection } from '@coplay/core';
import { useContext } from 'react';
import { CoplayContext } from './CoplayContext';

/**
 * The connection of the nearest {@link CoplayProvider}.
 * @throws CoplayError `NO_CONNECTION` outside a provider.
 */
export function useConnection(): Connection {
  const connection = useContext(CoplayContext);
  if (!connection) throw new CoplayError('NO_CONNECTION', 'coplay hooks need a <CoplayProvider> above them');
  return connection;
}
