import { concatBytes } from '@noble/hashes/utils';
import { createEasemobClient } from '../auth/createEasemobClient';
import { checkId, easemobClientId } from '../auth/easemobClientId';
import type { HttpRetryOptions } from '../auth/postJson';
import { CoplayError, isCoplayError } from '../errors/CoplayError';
import { createRateLimiter, type RateLimitOptions } from './createRateLimiter';

/** Who the caller is, as decided by your {@link TokenHandlerOptions.authorize}. */
export interface TokenGrant {
  /** MQTT username: 1-64 characters of `[A-Za-z0-9_-]`. */
  username: string;
  /** Device part of the client id (`deviceId@appId`). Default: the request's `deviceId`, else `username`. */
  deviceId?: string;
}

/** The JSON body a client may send (all optional). */
export interface TokenRequestBody {
  /** Asks for a client id `deviceId@appId` (one per tab/device, so they don't kick each other). */
  deviceId?: string;
  [key: string]: unknown;
}

/** The JSON a successful request receives. */
export interface TokenResponseBody {
  username: string;
  /** The user token: the MQTT password. */
  password: string;
  /** `deviceId@appId`. */
  clientId: string;
  /** Epoch ms. */
  expiresAt: number;
  /** Seconds from now (clock-skew free). */
  expiresIn: number;
}

/** Error codes in `{ error: { code, message } }` answers. */
export type TokenHandlerErrorCode =
  | 'METHOD_NOT_ALLOWED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'BODY_TOO_LARGE'
  | 'INVALID_BODY'
  | 'INVALID_ID'
  | 'UNAUTHORIZED'
  | 'RATE_LIMITED'
  | 'UPSTREAM_FAILED'
  | 'UPSTREAM_TIMEOUT'
  | 'INTERNAL';

/** Options of {@link createTokenHandler}. */
export interface TokenHandlerOptions {
  /** e.g. `https://api.cn1.mqtt.chat/app/{appId}`. */
  apiUrl: string;
  appId: string;
  appClientId: string;
  /** Stays in this process: never sent to clients, never in a response or error body. */
  appClientSecret: string;
  /**
   * Decides who is asking (your session cookie, bearer token, ...). Return the grant, or
   * `false`/`null`/`undefined` to answer 401. A throw answers 500 (and goes to `onError`).
   */
  authorize: (
    request: Request,
    body: TokenRequestBody,
  ) => TokenGrant | false | null | undefined | Promise<TokenGrant | false | null | undefined>;
  /** Lifetime asked for user tokens, seconds. Default 3600. */
  tokenTtlSeconds?: number;
  /** Largest accepted body. Default 4096 bytes. */
  maxBodyBytes?: number;
  /** Per-user limit (after `authorize`), `false` to disable. Default 30 tokens per user per minute. */
  rateLimit?: RateLimitOptions | false;
  /** Per vendor HTTP request. Default 10 000 ms. */
  timeoutMs?: number;
  /** Retries for vendor network errors and 5xx. Default 2. */
  retry?: HttpRetryOptions | number | false;
  /** Told about unexpected failures (authorize throwing, vendor errors) for your logs. */
  onError?: (error: unknown) => void;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  /** fetch used to reach the vendor (default global). */
  fetch?: typeof globalThis.fetch;
}

/** A web-standard request handler (Deno, Bun, edge runtimes, or Node through `@hono/node-server`'s `getRequestListener`). */
export type TokenHandler = (request: Request) => Promise<Response>;

/** Why a request is answered with an error response; an Error so stack traces point at the refusal. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: TokenHandlerErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

async function readLimited(request: Request, max: number): Promise<string> {
  const length = request.headers.get('content-length');
  if (length !== null && Number(length) > max) throw new Refusal(413, 'BODY_TOO_LARGE', `Body is larger than ${max} bytes`);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      void reader.cancel().catch(() => undefined);
      throw new Refusal(413, 'BODY_TOO_LARGE', `Body is larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(concatBytes(...chunks));
}

function parseBody(text: string): TokenRequestBody {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Refusal(400, 'INVALID_BODY', 'Body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Refusal(400, 'INVALID_BODY', 'Body must be a JSON object');
  }
  const body = value as TokenRequestBody;
  if (body.deviceId !== undefined && typeof body.deviceId !== 'string') {
    throw new Refusal(400, 'INVALID_BODY', 'deviceId must be a string');
  }
  return body;
}

/**
 * A token endpoint for browsers: it keeps the Easemob app secret on the server, asks your
 * `authorize(request, body)` who is calling, and answers a fresh user token as
 * `{ username, password, clientId, expiresAt, expiresIn }` — what `endpointCredentials` expects.
 *
 * Refusals are JSON `{ error: { code, message } }`: 405 (not POST, with `Allow: POST`), 415 (not JSON),
 * 413 (body over `maxBodyBytes`), 400 (malformed body, bad username/device id), 401 (authorize said no),
 * 429 (rate limit, with `Retry-After`), 502/504 (vendor failed / timed out), 500 (authorize threw).
 * One app token is cached and shared by all requests. No response ever contains the secret.
 *
 * @throws CoplayError `INVALID_URL` / `INVALID_OPTIONS` / `INVALID_ID` synchronously for bad options.
 *
 * @example
 * // Node
 * import { createServer } from 'node:http';
 * import { getRequestListener } from '@hono/node-server';
 * import { createTokenHandler } from '@coplay/core/server';
 * const handler = createTokenHandler({
 *   apiUrl: 'https://api.cn1.mqtt.chat/app/abc123', appId: 'abc123',
 *   appClientId: process.env.EASEMOB_CLIENT_ID!, appClientSecret: process.env.EASEMOB_CLIENT_SECRET!,
 *   authorize: async (request) => {
 *     const user = await sessionUser(request.headers.get('cookie'));
 *     return user ? { username: user.id } : false;
 *   },
 * });
 * const listener = getRequestListener(handler);
 * createServer((req, res) => void listener(req, res)).listen(8787);
 */
export function createTokenHandler(options: TokenHandlerOptions): TokenHandler {
  if (typeof options.authorize !== 'function') {
    throw new CoplayError('INVALID_OPTIONS', 'createTokenHandler: authorize(request, body) is required');
  }
  checkId(options.appId, 'appId', 62);
  const client = createEasemobClient(options);
  const secret = options.appClientSecret;
  const now = options.now ?? Date.now;
  const ttlSeconds = options.tokenTtlSeconds ?? 3600;
  const maxBody = options.maxBodyBytes ?? 4096;
  const limiter =
    options.rateLimit === false ? undefined : createRateLimiter(options.rateLimit ?? { max: 30, windowMs: 60_000 }, now);
  const report = (e: unknown) => {
    try {
      options.onError?.(e);
    } catch {
      // A failing logger must not turn into a failing request.
    }
  };

  const respond = (status: number, body: unknown, headers: Record<string, string> = {}): Response => {
    let text = JSON.stringify(body);
    // (Skipped for toy secrets shorter than 8 characters, which would match innocent text.)
    if (secret.length >= 8 && text.includes(secret)) {
      // Last line of defence: whatever went wrong upstream, the secret never leaves.
      status = 500;
      text = JSON.stringify({ error: { code: 'INTERNAL', message: 'Internal error' } });
    }
    return new Response(text, {
      status,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    });
  };
  const refuse = (r: Refusal) => respond(r.status, { error: { code: r.code, message: r.message } }, r.headers);

  return async (request) => {
    try {
      if (request.method !== 'POST') {
        throw new Refusal(405, 'METHOD_NOT_ALLOWED', 'Use POST', { allow: 'POST' });
      }
      const type = request.headers.get('content-type');
      const hasBody = request.body !== null && request.headers.get('content-length') !== '0';
      if (hasBody && type !== null && !/^application\/json\s*(;|$)/i.test(type)) {
        throw new Refusal(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send application/json');
      }
      const text = await readLimited(request, maxBody);
      if (text.trim() !== '' && type === null) throw new Refusal(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send application/json');
      const body = parseBody(text);

      let grant: Awaited<ReturnType<TokenHandlerOptions['authorize']>>;
      try {
        grant = await options.authorize(request, body);
      } catch (e) {
        report(e);
        throw new Refusal(500, 'INTERNAL', 'Authorization failed');
      }
      if (!grant) throw new Refusal(401, 'UNAUTHORIZED', 'Not authorized');

      let username: string;
      let clientId: string;
      try {
        username = checkId(grant.username, 'username');
        clientId = easemobClientId(grant.deviceId ?? body.deviceId ?? username, options.appId);
      } catch (e) {
        throw new Refusal(400, 'INVALID_ID', isCoplayError(e) ? e.message : 'Invalid id');
      }

      const wait = limiter?.hit(request, { username, ...(grant.deviceId ? { deviceId: grant.deviceId } : {}) });
      if (wait !== undefined) {
        throw new Refusal(429, 'RATE_LIMITED', 'Too many token requests', { 'retry-after': String(Math.ceil(wait / 1000)) });
      }

      let user;
      try {
        user = await client.userToken({ username, cid: clientId, ttlSeconds, signal: request.signal });
      } catch (e) {
        report(e);
        const timeout = isCoplayError(e, 'TOKEN_TIMEOUT');
        const code = isCoplayError(e) ? e.code : 'error';
        throw new Refusal(timeout ? 504 : 502, timeout ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_FAILED', `Token service failed (${code})`);
      }
      const response: TokenResponseBody = {
        username,
        password: user.token,
        clientId,
        expiresAt: user.expiresAt,
        expiresIn: user.expiresInSeconds,
      };
      return respond(200, response);
    } catch (e) {
      if (e instanceof Refusal) return refuse(e);
      report(e);
      return refuse(new Refusal(500, 'INTERNAL', 'Internal error'));
    }
  };
}
