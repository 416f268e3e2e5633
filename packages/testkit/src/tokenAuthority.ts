import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Options of {@link startTokenAuthority}. */
export interface TokenAuthorityOptions {
  /** The app id in the URL path (`/app/{appId}`) and in client ids (`deviceId@appId`). */
  appId: string;
  appClientId: string;
  appClientSecret: string;
  /** Lifetime of app tokens in seconds (fractions allowed). Default 3600. */
  appTokenTtlSeconds?: number | undefined;
  /**
   * Upper bound for user tokens in seconds (fractions allowed). A request's own `expires_in` is
   * honoured when it is shorter. Default: the request's `expires_in`, else 86 400.
   */
  userTokenTtlSeconds?: number | undefined;
  /** Port on 127.0.0.1. Default 0 (ephemeral); the examples' local services use a fixed one. */
  port?: number | undefined;
}

/** Which endpoint a request was for. */
export type TokenEndpoint = 'app-token' | 'user-token' | 'other';

/** One request the authority received, in arrival order. */
export interface TokenAuthorityRequest {
  readonly endpoint: TokenEndpoint;
  readonly method: string;
  readonly path: string;
  /** `Date.now()` on arrival. */
  readonly at: number;
  /** HTTP status answered (0 if the client went away first). */
  status: number;
  /** `username` of a user-token request. */
  readonly username?: string | undefined;
  /** `cid` of a user-token request. */
  readonly cid?: string | undefined;
  /** True when the answer came from {@link TokenAuthority.failNext}. */
  injected: boolean;
}

/**
 * A vendor failure to inject into the next request(s). With neither `status`, `body` nor `raw`
 * the request is answered normally after `delayMs` (a slow vendor).
 */
export interface FailureSpec {
  /** HTTP status. Default 500 when nothing else is given, 200 when only `body`/`raw` is given. */
  status?: number | undefined;
  /** JSON body to send, e.g. `{ code: 500, msg: 'busy' }` with HTTP 200 for a non-200 `code`. */
  body?: unknown;
  /** Raw text body (e.g. malformed JSON); wins over `body`. */
  raw?: string | undefined;
  /** Wait this long before answering. */
  delayMs?: number | undefined;
  /** How many requests this applies to. Default 1. */
  times?: number | undefined;
  /** Only requests to this endpoint. Default: any. */
  endpoint?: 'app-token' | 'user-token' | undefined;
}

/** What the embedded broker's `authenticate` hook receives (see `startBroker`). */
export interface AuthenticateContext {
  clientId: string;
  username?: string | undefined;
  password?: Buffer | undefined;
}

/** A running local Easemob-compatible token service. */
export interface TokenAuthority {
  /** `http://127.0.0.1:PORT/app/{appId}` — pass as `apiUrl`. */
  readonly apiUrl: string;
  readonly port: number;
  readonly appId: string;
  /** Requests received per endpoint (injected failures included). */
  readonly counts: { readonly appToken: number; readonly userToken: number };
  /** Every request received, oldest first. */
  readonly requests: readonly TokenAuthorityRequest[];
  /**
   * Hook for `startBroker({ authenticate })`: accepts a CONNECT only when the password is a
   * valid, unexpired, unrevoked user token issued for exactly this username and client id.
   */
  readonly authenticate: (ctx: AuthenticateContext) => true | 'bad-credentials';
  /**
   * Bans a user at the broker: its existing and future tokens are refused by {@link authenticate}
   * (the REST API still issues them, as a vendor-side ban enforced at CONNECT would).
   */
  revokeUser(username: string): void;
  /** Lifts {@link revokeUser}. */
  restoreUser(username: string): void;
  /** Makes every app token issued so far expired (user-token calls with them get 403). */
  expireAppTokens(): void;
  /** Makes every user token issued so far expired (the broker refuses them). */
  expireUserTokens(): void;
  /** Injects a failure into the next request(s); specs queue up in call order. */
  failNext(spec?: FailureSpec): void;
  /** Clears counts and the request log. */
  resetCounts(): void;
  /** Drops failures queued by {@link failNext} that have not been used yet. */
  clearFailures(): void;
  close(): Promise<void>;
}

interface Issued {
  readonly expiresAt: number;
  readonly username?: string | undefined;
  readonly cid?: string | undefined;
}

const MAX_BODY = 64 * 1024;

/**
 * Starts a local HTTP server on 127.0.0.1 (ephemeral port) that implements the Easemob MQTT REST
 * contract under `/app/{appId}`:
 *
 * - `POST /app/{appId}/openapi/rm/app/token` `{ appClientId, appClientSecret }` →
 *   `{ code: 200, msg: 'success', body: { access_token, expires_in } }`; a wrong id or secret → 401.
 * - `POST /app/{appId}/openapi/rm/user/token` with `Authorization: <app token>` (raw) and
 *   `{ username, expires_in, cid }` → `{ code: 200, msg: 'success', body: { access_token, expires_in } }`;
 *   a missing, unknown or expired app token → 403.
 *
 * Expiry is real (`Date.now()`), so tests use short TTLs (fractions of a second are fine).
 */
export async function startTokenAuthority(options: TokenAuthorityOptions): Promise<TokenAuthority> {
  const { appId, appClientId, appClientSecret } = options;
  const appTtl = options.appTokenTtlSeconds ?? 3600;
  const userTtlCap = options.userTokenTtlSeconds;
  const base = `/app/${appId}`;

  const appTokens = new Map<string, Issued>();
  const userTokens = new Map<string, Issued>();
  const revoked = new Set<string>();
  const failures: Array<FailureSpec & { left: number }> = [];
  const timers = new Set<NodeJS.Timeout>();
  let requests: TokenAuthorityRequest[] = [];
  const counts = { appToken: 0, userToken: 0 };

  const token = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;

  function takeFailure(endpoint: TokenEndpoint): FailureSpec | undefined {
    const i = failures.findIndex((f) => f.endpoint === undefined || f.endpoint === endpoint);
    if (i < 0) return undefined;
    const spec = failures[i]!;
    spec.left -= 1;
    if (spec.left <= 0) failures.splice(i, 1);
    return spec;
  }

  function send(res: ServerResponse, entry: TokenAuthorityRequest, status: number, body: unknown, raw?: string) {
    if (res.destroyed || res.writableEnded) return;
    entry.status = status;
    const text = raw ?? JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  function readBody(req: IncomingMessage): Promise<string | undefined> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_BODY) chunks.push(c);
      });
      req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
      req.on('error', () => resolve(undefined));
    });
  }

  function parseJson(text: string | undefined): Record<string, unknown> | undefined {
    if (text === undefined) return undefined;
    try {
      const v: unknown = JSON.parse(text);
      return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }

  function sameSecret(a: unknown, b: string): boolean {
    if (typeof a !== 'string') return false;
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const endpoint: TokenEndpoint =
      path === `${base}/openapi/rm/app/token` ? 'app-token' : path === `${base}/openapi/rm/user/token` ? 'user-token' : 'other';
    const text = await readBody(req);
    const json = parseJson(text);
    const entry: TokenAuthorityRequest = {
      endpoint,
      method: req.method ?? 'GET',
      path,
      at: Date.now(),
      status: 0,
      injected: false,
      ...(endpoint === 'user-token' && typeof json?.username === 'string' ? { username: json.username } : {}),
      ...(endpoint === 'user-token' && typeof json?.cid === 'string' ? { cid: json.cid } : {}),
    };
    requests.push(entry);
    if (endpoint === 'app-token') counts.appToken += 1;
    if (endpoint === 'user-token') counts.userToken += 1;

    const failure = endpoint === 'other' ? undefined : takeFailure(endpoint);
    if (failure?.delayMs) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t);
          resolve();
        }, failure.delayMs);
        timers.add(t);
      });
    }
    if (failure && (failure.status !== undefined || failure.body !== undefined || failure.raw !== undefined)) {
      entry.injected = true;
      const status = failure.status ?? (failure.body !== undefined || failure.raw !== undefined ? 200 : 500);
      const body = failure.body ?? { code: status, msg: 'injected failure' };
      send(res, entry, status, body, failure.raw);
      return;
    }

    if (endpoint === 'other') return send(res, entry, 404, { code: 404, msg: 'not found' });
    if (req.method !== 'POST') return send(res, entry, 405, { code: 405, msg: 'method not allowed' });
    if (!json) return send(res, entry, 400, { code: 400, msg: 'request body must be a JSON object' });
    const now = Date.now();

    if (endpoint === 'app-token') {
      if (json.appClientId !== appClientId || !sameSecret(json.appClientSecret, appClientSecret)) {
        return send(res, entry, 401, { code: 401, msg: 'invalid appClientId or appClientSecret' });
      }
      const access = token('APP');
      appTokens.set(access, { expiresAt: now + appTtl * 1000 });
      return send(res, entry, 200, { code: 200, msg: 'success', body: { access_token: access, expires_in: appTtl } });
    }

    // user-token
    const auth = req.headers.authorization;
    const app = auth === undefined ? undefined : appTokens.get(auth);
    if (!app || app.expiresAt <= now) {
      return send(res, entry, 403, { code: 403, msg: 'app token is invalid or expired' });
    }
    const { username, cid } = json;
    if (typeof username !== 'string' || username === '' || typeof cid !== 'string' || cid === '') {
      return send(res, entry, 400, { code: 400, msg: 'username and cid are required' });
    }
    if (!cid.endsWith(`@${appId}`)) {
      return send(res, entry, 400, { code: 400, msg: `cid must end with @${appId}` });
    }
    const asked = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : undefined;
    const ttl = Math.min(asked ?? userTtlCap ?? 86_400, userTtlCap ?? Infinity);
    const access = token('USR');
    userTokens.set(access, { expiresAt: now + ttl * 1000, username, cid });
    return send(res, entry, 200, { code: 200, msg: 'success', body: { access_token: access, expires_in: ttl } });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: '127.0.0.1' }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  const expireAll = (map: Map<string, Issued>) => {
    const past = Date.now() - 1;
    for (const [k, v] of map) map.set(k, { ...v, expiresAt: Math.min(v.expiresAt, past) });
  };

  return {
    apiUrl: `http://127.0.0.1:${port}${base}`,
    port,
    appId,
    counts,
    get requests() {
      return requests;
    },
    authenticate(ctx) {
      const password = ctx.password?.toString('utf8');
      const issued = password === undefined ? undefined : userTokens.get(password);
      if (!issued || issued.expiresAt <= Date.now()) return 'bad-credentials';
      if (issued.username !== ctx.username || issued.cid !== ctx.clientId) return 'bad-credentials';
      if (revoked.has(issued.username ?? '')) return 'bad-credentials';
      return true;
    },
    revokeUser(username) {
      revoked.add(username);
    },
    restoreUser(username) {
      revoked.delete(username);
    },
    expireAppTokens() {
      expireAll(appTokens);
    },
    expireUserTokens() {
      expireAll(userTokens);
    },
    failNext(spec = {}) {
      failures.push({ ...spec, left: spec.times ?? 1 });
    },
    clearFailures() {
      failures.length = 0;
    },
    resetCounts() {
      counts.appToken = 0;
      counts.userToken = 0;
      requests = [];
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
