import { CoplayError, type CoplayErrorCode } from '../errors/CoplayError';
import { createTokenCache, type TokenCache } from './createTokenCache';
import { postJson, type HttpRetryOptions, type PostJsonResponse } from './postJson';

/** Connection to the Easemob MQTT REST API (app client id and secret: server-side only). */
export interface EasemobClientOptions {
  /** e.g. `https://api.cn1.mqtt.chat/app/{appId}` (no trailing `/openapi`). */
  apiUrl: string;
  appClientId: string;
  appClientSecret: string;
  /** Per HTTP request. Default 10 000 ms. */
  timeoutMs?: number;
  /** Retries for network errors and 5xx (never 4xx). Default `{ limit: 2, delayMs: 300, maxDelayMs: 3000 }`. */
  retry?: HttpRetryOptions | number | false;
  /** Renew the app token this long before it expires. Default 60 000 ms. */
  refreshMarginMs?: number;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  /** fetch implementation (default global). */
  fetch?: typeof globalThis.fetch;
}

/** A user token: the MQTT password. */
export interface EasemobUserToken {
  token: string;
  /** Epoch ms. */
  expiresAt: number;
  expiresInSeconds: number;
}

/** Asks Easemob for user tokens, caching one app token for all of them. */
export interface EasemobClient {
  /**
   * App token (cached, single-flight) → user token. A 403 on the user-token call (an app token
   * Easemob no longer accepts) renews the app token and retries once; a 401 is `TOKEN_REFUSED`.
   */
  userToken(request: { username: string; cid: string; ttlSeconds: number; signal?: AbortSignal }): Promise<EasemobUserToken>;
  /** The app token cache (state for logs; `invalidate()` to force a new app token). */
  readonly appToken: TokenCache<string>;
}

type Endpoint = 'app-token' | 'user-token';

function vendorFields(data: unknown): { code?: unknown; msg?: string; body?: Record<string, unknown> } {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return {};
  const d = data as Record<string, unknown>;
  const body = d.body !== null && typeof d.body === 'object' && !Array.isArray(d.body) ? (d.body as Record<string, unknown>) : undefined;
  return {
    code: d.code,
    ...(typeof d.msg === 'string' ? { msg: d.msg } : {}),
    ...(body ? { body } : {}),
  };
}

function fail(code: CoplayErrorCode, endpoint: Endpoint, res: PostJsonResponse, what: string, vendor: { code?: unknown; msg?: string }, secret: string) {
  // A vendor may echo what it was sent: the secret never goes into a message or its details.
  const msg = vendor.msg === undefined || secret === '' ? vendor.msg : vendor.msg.split(secret).join('***');
  return new CoplayError(code, `Easemob ${endpoint}: ${what}${msg ? ` (${msg})` : ''}`, {
    status: res.status,
    details: { endpoint, ...(vendor.code === undefined ? {} : { code: vendor.code }), ...(msg === undefined ? {} : { msg }) },
  });
}

/**
 * 403 (HTTP or vendor `code`) on the user-token call is Easemob's answer for an app token it no longer
 * accepts (its server SDK renews only then). A 401 refuses the user: renewing the app token shared by
 * every user would not help and would cost a token per refused user.
 */
function appTokenRejected(res: PostJsonResponse): boolean {
  return res.status === 403 || Number(vendorFields(res.data).code) === 403;
}

/** Maps a vendor answer to `{ access_token, expires_in }` or a typed error. */
function parseToken(res: PostJsonResponse, endpoint: Endpoint, secret: string): { accessToken: string; expiresIn?: number } {
  const vendor = vendorFields(res.data);
  const overloaded = (s: number) => s >= 500 || s === 429;
  if (res.status < 200 || res.status >= 300) {
    return thrower(overloaded(res.status) ? 'TOKEN_HTTP' : 'TOKEN_REFUSED', `HTTP ${res.status}`);
  }
  if (!res.json) return thrower('TOKEN_RESPONSE', 'response is not JSON');
  const code = Number(vendor.code);
  if (code !== 200) {
    return thrower(Number.isFinite(code) && !overloaded(code) ? 'TOKEN_REFUSED' : 'TOKEN_HTTP', `code ${String(vendor.code)}`);
  }
  const accessToken = vendor.body?.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') return thrower('TOKEN_RESPONSE', 'no access_token in the response');
  const expiresIn = Number(vendor.body?.expires_in);
  return Number.isFinite(expiresIn) && expiresIn > 0 ? { accessToken, expiresIn } : { accessToken };

  function thrower(code: CoplayErrorCode, what: string): never {
    throw fail(code, endpoint, res, what, vendor, secret);
  }
}

/**
 * Creates an {@link EasemobClient}. Used by `easemobCredentials` (one user) and by
 * `createTokenHandler` (many users sharing one app token).
 */
export function createEasemobClient(options: EasemobClientOptions): EasemobClient {
  let base: URL;
  try {
    base = new URL(options.apiUrl);
  } catch {
    throw new CoplayError('INVALID_URL', 'apiUrl must be an absolute http(s) URL like https://api.cn1.mqtt.chat/app/{appId}');
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw new CoplayError('INVALID_URL', 'apiUrl must use http or https');
  }
  if (typeof options.appClientId !== 'string' || options.appClientId === '') {
    throw new CoplayError('INVALID_OPTIONS', 'appClientId is required');
  }
  if (typeof options.appClientSecret !== 'string' || options.appClientSecret === '') {
    throw new CoplayError('INVALID_OPTIONS', 'appClientSecret is required');
  }
  const apiUrl = options.apiUrl.replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  const http = {
    timeoutMs: options.timeoutMs ?? 10_000,
    retry: options.retry,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };

  const appToken = createTokenCache<string>({
    now,
    ...(options.refreshMarginMs === undefined ? {} : { refreshMarginMs: options.refreshMarginMs }),
    fetch: async (signal) => {
      const sentAt = now();
      const res = await postJson({
        ...http,
        endpoint: 'app-token',
        url: `${apiUrl}/openapi/rm/app/token`,
        json: { appClientId: options.appClientId, appClientSecret: options.appClientSecret },
        signal,
      });
      const { accessToken, expiresIn } = parseToken(res, 'app-token', options.appClientSecret);
      // Without an expiry the token is kept until the vendor refuses it (403 → renewed).
      return expiresIn === undefined ? { credentials: accessToken } : { credentials: accessToken, expiresAt: sentAt + expiresIn * 1000 };
    },
  });

  async function requestUserToken(app: string, request: Parameters<EasemobClient['userToken']>[0]) {
    return postJson({
      ...http,
      endpoint: 'user-token',
      url: `${apiUrl}/openapi/rm/user/token`,
      headers: { Authorization: app },
      json: { username: request.username, expires_in: request.ttlSeconds, cid: request.cid },
      ...(request.signal ? { signal: request.signal } : {}),
    });
  }

  return {
    appToken,
    async userToken(request) {
      const signalOpt = request.signal ? { signal: request.signal } : {};
      const sentAt = now();
      let app = await appToken.get(signalOpt);
      let res = await requestUserToken(app, request);
      if (appTokenRejected(res)) {
        // Only this token: a concurrent caller may already have renewed it.
        appToken.invalidate(app);
        app = await appToken.get(signalOpt);
        res = await requestUserToken(app, request);
      }
      const { accessToken, expiresIn } = parseToken(res, 'user-token', options.appClientSecret);
      const seconds = expiresIn ?? request.ttlSeconds;
      // Counted from before the request, so network time never makes the token look fresher than it is.
      return { token: accessToken, expiresInSeconds: seconds, expiresAt: sentAt + seconds * 1000 };
    },
  };
}
