import { CoplayError } from '../errors/CoplayError';
import { cachedCredentials, type CachedCredentials } from './cachedCredentials';
import { createEasemobClient } from './createEasemobClient';
import { checkId, easemobClientId } from './easemobClientId';
import type { HttpRetryOptions } from './postJson';

/** Options of {@link easemobCredentials}. */
export interface EasemobCredentialsOptions {
  /** REST base, e.g. `https://api.cn1.mqtt.chat/app/{appId}` (from the Easemob console). */
  apiUrl: string;
  /** The app id; client ids are `deviceId@appId`. */
  appId: string;
  /** App client id (console). Server-side only. */
  appClientId: string;
  /** App client secret (console). Server-side only: never ship it to browsers. */
  appClientSecret: string;
  /** MQTT username, `[A-Za-z0-9_-]`, at most 64 characters. */
  username: string;
  /** Device part of the client id. Default: `username`. Give each tab/device its own or they kick each other. */
  deviceId?: string | undefined;
  /** Lifetime asked for the user token, in seconds. Default 3600. */
  tokenTtlSeconds?: number;
  /** Per HTTP request. Default 10 000 ms. */
  timeoutMs?: number;
  /** Retries for network errors and 5xx (never 4xx); a number is the limit, `false` disables. Default 2 retries. */
  retry?: HttpRetryOptions | number | false;
  /** Renew tokens this long before they expire (clamped to half their lifetime). Default 60 000 ms. */
  refreshMarginMs?: number;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  /** fetch implementation (default global). */
  fetch?: typeof globalThis.fetch;
}

let warnedBrowser = false;

function isDevelopment(): boolean {
  try {
    // Bundlers replace `process.env.NODE_ENV`; where nothing defines `process` this throws → development.
    return process.env.NODE_ENV !== 'production';
  } catch {
    return true;
  }
}

function warnIfBrowser(): void {
  if (warnedBrowser) return;
  if (typeof window === 'undefined' || typeof document === 'undefined') return;
  if (!isDevelopment()) return;
  warnedBrowser = true;
  console.warn(
    '[coplay] easemobCredentials() is running in a browser: the app client secret is visible to every user. ' +
      'Mint tokens on your server with createTokenHandler() from @coplay/core/server and use endpointCredentials() here.',
  );
}

/**
 * Credentials straight from the Easemob MQTT REST API, for trusted runtimes (Node, servers, tests):
 * app token (cached) → user token (cached until shortly before it expires) → `{ username, password, clientId }`
 * with `clientId = deviceId@appId`.
 *
 * The result is a `CredentialsProvider` for `createConnection({ credentials })` that also has `state`
 * (token state, a `Live<TokenState>`) and `invalidate()`. Called with `refresh: true` (the broker refused the
 * last token) it drops the cached user token first. The app token is not dropped: the vendor checks it on
 * every user-token call, and a 403 there (an expired app token) renews it and retries once; a 401 is
 * `TOKEN_REFUSED` and leaves the app token alone.
 *
 * Errors are {@link CoplayError}s: `TOKEN_REFUSED` (4xx or a non-200 `code`, e.g. a wrong secret),
 * `TOKEN_HTTP` (5xx after retries), `TOKEN_RESPONSE` (not JSON, no `access_token`), `TOKEN_TIMEOUT`,
 * `TOKEN_NETWORK`; `status` is the HTTP status and `details` holds `{ endpoint, code, msg }` from the vendor.
 *
 * @throws CoplayError `INVALID_URL` / `INVALID_OPTIONS` / `INVALID_ID` synchronously for bad options.
 *
 * @example
 * const credentials = easemobCredentials({
 *   apiUrl: 'https://api.cn1.mqtt.chat/app/abc123', appId: 'abc123',
 *   appClientId: process.env.EASEMOB_CLIENT_ID!, appClientSecret: process.env.EASEMOB_CLIENT_SECRET!,
 *   username: 'host-1',
 * });
 * const conn = createConnection({ url: 'mqtts://abc123.cn1.mqtt.chat:1884', credentials });
 */
export function easemobCredentials(options: EasemobCredentialsOptions): CachedCredentials {
  warnIfBrowser();
  const username = checkId(options.username, 'username');
  const clientId = easemobClientId(options.deviceId ?? username, options.appId);
  const ttlSeconds = options.tokenTtlSeconds ?? 3600;
  if (!(ttlSeconds > 0) || !Number.isFinite(ttlSeconds)) {
    throw new CoplayError('INVALID_OPTIONS', 'tokenTtlSeconds must be a positive number');
  }
  const client = createEasemobClient(options);
  return cachedCredentials({
    ...(options.refreshMarginMs === undefined ? {} : { refreshMarginMs: options.refreshMarginMs }),
    ...(options.now === undefined ? {} : { now: options.now }),
    fetch: async (signal) => {
      const user = await client.userToken({ username, cid: clientId, ttlSeconds, signal });
      return { credentials: { username, password: user.token, clientId }, expiresAt: user.expiresAt };
    },
  });
}
