import type { Credentials, CredentialsRequest } from '../connection/types';
import type { Live } from '../store/Live';
import { createTokenCache, type TokenCacheOptions, type TokenState } from './createTokenCache';

/**
 * A credentials provider backed by a {@link TokenCache}: call it like any `CredentialsProvider`
 * (`credentials({ attempt, refresh, signal })`, or with no argument), and read its token state.
 *
 * `refresh: true` drops the cached credentials before fetching (the broker refused them).
 */
export interface CachedCredentials {
  (request?: Partial<CredentialsRequest>): Promise<Credentials>;
  /** Token state for UIs and logs: `state.value` now, `state.value$` replays it and every change. */
  readonly state: Live<TokenState>;
  /** Drops the cached credentials; the next call fetches. */
  invalidate(): void;
}

/**
 * Turns any async credentials source into a cached, single-flight provider that renews ahead of
 * `expiresAt`. `easemobCredentials`, `endpointCredentials` and `staticCredentials` are built on it.
 *
 * @example
 * const credentials = cachedCredentials({
 *   fetch: async (signal) => {
 *     const r = await fetch('/my/token', { signal }).then((x) => x.json());
 *     return { credentials: { username: r.user, password: r.token }, expiresAt: r.exp };
 *   },
 * });
 * createConnection({ url, credentials });
 */
export function cachedCredentials(options: TokenCacheOptions<Credentials>): CachedCredentials {
  const cache = createTokenCache(options);
  const provider = (request: Partial<CredentialsRequest> = {}) =>
    cache.get({
      ...(request.refresh ? { refresh: true } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    });
  Object.defineProperties(provider, {
    state: { value: cache.state, enumerable: true },
    invalidate: { value: () => cache.invalidate(), enumerable: true },
  });
  return provider as CachedCredentials;
}
