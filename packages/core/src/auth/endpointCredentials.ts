import type { Credentials } from '../connection/types';
import { CoplayError } from '../errors/CoplayError';
import { cachedCredentials, type CachedCredentials } from './cachedCredentials';
import { postJson, type HttpRetryOptions, type PostJsonResponse } from './postJson';

/** Options of {@link endpointCredentials}. */
export interface EndpointCredentialsOptions {
  /** Your backend's token route, e.g. one served by `createTokenHandler` from `@coplay/core/server`. */
  url: string;
  /** Extra headers (e.g. your session's bearer token). A function is called before every request. */
  headers?: Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);
  /** JSON body, e.g. `{ deviceId }`. A function is called before every request. Default `{}`. */
  body?: Record<string, unknown> | (() => Record<string, unknown> | Promise<Record<string, unknown>>);
  /** fetch's `credentials` mode; `'include'` sends cookies cross-origin. Default: fetch's (`same-origin`). */
  requestCredentials?: RequestCredentials;
  /** fetch implementation (default global). */
  fetch?: typeof globalThis.fetch;
  /** Per HTTP request. Default 10 000 ms. */
  timeoutMs?: number;
  /** Retries for network errors and 5xx (never 4xx). Default 2 retries. */
  retry?: HttpRetryOptions | number | false;
  /** Renew this long before `expiresAt` (clamped to half the lifetime). Default 60 000 ms. */
  refreshMarginMs?: number;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
}

/** The JSON a token endpoint answers (what `createTokenHandler` returns). */
export interface EndpointCredentialsResponse {
  username: string;
  password: string;
  clientId?: string;
  /** Epoch ms. */
  expiresAt?: number;
  /** Seconds; preferred to `expiresAt` because it does not depend on the two clocks agreeing. */
  expiresIn?: number;
}

function errorFields(data: unknown): { code?: unknown; msg?: string } {
  const e = (data as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (e === null || typeof e !== 'object') return {};
  return { ...(e.code === undefined ? {} : { code: e.code }), ...(typeof e.message === 'string' ? { msg: e.message } : {}) };
}

function parse(res: PostJsonResponse, now: number): { credentials: Credentials; expiresAt?: number } {
  const details = { endpoint: 'endpoint', ...errorFields(res.data) };
  const suffix = details.msg ? ` (${details.msg})` : '';
  if (res.status < 200 || res.status >= 300) {
    const code = res.status >= 500 || res.status === 429 ? 'TOKEN_HTTP' : 'TOKEN_REFUSED';
    throw new CoplayError(code, `Token endpoint answered HTTP ${res.status}${suffix}`, { status: res.status, details });
  }
  const d = res.data as Partial<Record<keyof EndpointCredentialsResponse, unknown>> | undefined;
  const bad = (what: string) =>
    new CoplayError('TOKEN_RESPONSE', `Token endpoint response ${what}`, { status: res.status, details });
  if (!res.json || d === null || typeof d !== 'object' || Array.isArray(d)) throw bad('is not a JSON object');
  if (typeof d.username !== 'string' || d.username === '') throw bad('has no username');
  if (typeof d.password !== 'string' || d.password === '') throw bad('has no password');
  if (d.clientId !== undefined && (typeof d.clientId !== 'string' || d.clientId === '')) throw bad('has an invalid clientId');
  const expiresAt =
    typeof d.expiresIn === 'number' && d.expiresIn > 0
      ? now + d.expiresIn * 1000
      : typeof d.expiresAt === 'number' && Number.isFinite(d.expiresAt)
        ? d.expiresAt
        : undefined;
  const credentials: Credentials = { username: d.username, password: d.password, ...(d.clientId ? { clientId: d.clientId } : {}) };
  return expiresAt === undefined ? { credentials } : { credentials, expiresAt };
}

/**
 * Credentials from your own backend, for browsers: POSTs JSON to `url` and expects
 * `{ username, password, clientId?, expiresAt?, expiresIn? }` — exactly what `createTokenHandler`
 * (from `@coplay/core/server`) answers. The secret stays on the server.
 *
 * Cached and single-flight like {@link easemobCredentials}; `refresh: true` (the broker refused the
 * token) fetches a new one. The result also has `state` (a `Live<TokenState>`) and `invalidate()`.
 *
 * Errors: `TOKEN_REFUSED` (4xx, e.g. not logged in), `TOKEN_HTTP` (5xx/429 after retries),
 * `TOKEN_RESPONSE` (wrong shape), `TOKEN_TIMEOUT`, `TOKEN_NETWORK`; `details.code`/`details.msg` come
 * from a `{ error: { code, message } }` body.
 *
 * @example
 * const credentials = endpointCredentials({ url: '/api/coplay-token', body: { deviceId: tabId } });
 * const conn = createConnection({ url: 'wss://abc123.cn1.mqtt.chat/mqtt', credentials });
 */
export function endpointCredentials(options: EndpointCredentialsOptions): CachedCredentials {
  // Relative URLs resolve against the page (browsers); elsewhere they must be absolute. Server rendering
  // (Next.js, Nuxt) creates the provider where there is no page yet, so a relative URL is resolved when
  // credentials are first asked for, which happens in the browser; asked for outside one, it rejects.
  const resolve = (): string | undefined => {
    try {
      return new URL(options.url, globalThis.location?.href).href;
    } catch {
      return undefined;
    }
  };
  const invalid = () =>
    new CoplayError('INVALID_URL', 'endpointCredentials: url must be absolute, or relative to the page in a browser');
  if (!URL.canParse(options.url, 'http://relative.invalid/')) throw invalid();
  let url = resolve();
  const now = options.now ?? Date.now;
  return cachedCredentials({
    now,
    ...(options.refreshMarginMs === undefined ? {} : { refreshMarginMs: options.refreshMarginMs }),
    fetch: async (signal) => {
      url ??= resolve();
      if (url === undefined) throw invalid();
      const headers = typeof options.headers === 'function' ? await options.headers() : options.headers;
      const body = typeof options.body === 'function' ? await options.body() : options.body;
      const sentAt = now();
      const res = await postJson({
        endpoint: 'endpoint',
        url,
        json: body ?? {},
        timeoutMs: options.timeoutMs ?? 10_000,
        retry: options.retry,
        signal,
        ...(headers ? { headers } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.requestCredentials ? { credentials: options.requestCredentials } : {}),
      });
      return parse(res, sentAt);
    },
  });
}
