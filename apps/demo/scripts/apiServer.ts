import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listen } from './listen';
import type { PublicDemoConfig } from './demoConfig';

/** A plain Node request handler (what `getRequestListener(createTokenHandler(...))` gives). */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

export interface ApiServerOptions {
  /** Only Vite's proxy talks to this server, so it binds loopback. */
  host?: string;
  port: number;
  /** Hostname used for `/api/config` when a request has no Host header. */
  publicHost: string;
  /** The browser configuration; `requestHost` is the hostname the page was loaded from. */
  config: (requestHost: string) => PublicDemoConfig;
  /** `POST /api/token`; absent when the broker needs no credentials. */
  token?: NodeHandler;
  /** `POST /api/__test/<name>` routes, only registered with COPLAY_DEMO_TEST_HOOKS=1. */
  testHooks?: Record<string, () => Promise<unknown>>;
}

export interface ApiServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** The hostname the browser used (Vite's proxy keeps the Host header); falls back to `fallback`. */
export function requestHostname(req: IncomingMessage, fallback: string): string {
  const raw = req.headers.host;
  if (!raw) return fallback;
  try {
    const { hostname } = new URL(`http://${raw}`);
    return hostname || fallback;
  } catch {
    return fallback;
  }
}

/**
 * The demo's small backend: `GET /api/config` (public settings), `POST /api/token` (MQTT
 * credentials minted on the server) and, for the e2e test only, broker outage hooks.
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const method = req.method ?? 'GET';
    if (path === '/api/config' && method === 'GET') {
      return json(res, 200, options.config(requestHostname(req, options.publicHost)));
    }
    if (path === '/api/token' && options.token) {
      Promise.resolve(options.token(req, res)).catch(() => {
        if (!res.headersSent) json(res, 500, { error: { code: 'INTERNAL', message: 'token handler failed' } });
      });
      return;
    }
    const hook = path?.startsWith('/api/__test/') ? options.testHooks?.[path.slice('/api/__test/'.length)] : undefined;
    if (hook && method === 'POST') {
      hook().then(
        (result) => json(res, 200, result ?? { ok: true }),
        (err: unknown) => json(res, 500, { error: { message: err instanceof Error ? err.message : String(err) } }),
      );
      return;
    }
    json(res, 404, { error: { code: 'NOT_FOUND', message: `${method} ${path} is not an API route` } });
  });
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port, host, 'COPLAY_API_PORT', 'the token API server');
  return {
    port,
    url: `http://${host}:${port}`,
    async close() {
      server.closeAllConnections();
      await closeServer(server);
    },
  };
}
