import type { Credentials } from '../connection/types';
import { CoplayError } from '../errors/CoplayError';
import { cachedCredentials, type CachedCredentials } from './cachedCredentials';

/**
 * Fixed credentials (a broker with a password file, local development). Same shape as the other
 * providers (`state`, a `Live<TokenState>`); `refresh: true` cannot produce anything new, so a refused password
 * ends in `auth-failed` after the one retry.
 *
 * @example
 * createConnection({ url: 'mqtt://127.0.0.1:1883', credentials: staticCredentials({ username: 'u', password: 'p' }) });
 */
export function staticCredentials(credentials: Credentials): CachedCredentials {
  if (credentials === null || typeof credentials !== 'object') {
    throw new CoplayError('INVALID_OPTIONS', 'staticCredentials expects { username?, password?, clientId? }');
  }
  const value: Credentials = { ...credentials };
  return cachedCredentials({ fetch: () => Promise.resolve({ credentials: value }) });
}
