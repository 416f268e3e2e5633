import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, createServer as createViteServer, preview, type PreviewServer, type ViteDevServer } from 'vite';
import { startTokenAuthority, type TokenAuthority } from '@coplay/testkit';
import { startApiServer, type ApiServer, type NodeHandler } from './apiServer';
import { publicConfig, type DemoConfig } from './demoConfig';
import { closeServer, listen, PortInUseError } from './listen';
import { startLocalBroker, type LocalBroker } from './localBroker';
import { createDemoTokenRoute } from './tokenRoute';

export const demoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface StartDemoOptions {
  /** Room id used in the printed URLs; random by default. */
  roomId?: string;
  /** Vite log level. Default 'warn'. */
  logLevel?: 'info' | 'warn' | 'error' | 'silent';
  /**
   * `dev` (default): Vite's dev server, modules served one by one and transformed on request.
   * `prod`: `vite build` into a temporary directory, served by Vite's preview server — the pages
   * as a deployment ships them (bundled, minified), with the same broker and `/api`.
   */
  pages?: 'dev' | 'prod';
}

/** Everything the dev script started; {@link close} stops it all. */
export interface RunningDemo {
  readonly hostUrl: string;
  readonly guestUrl: string;
  readonly roomId: string;
  /** The embedded broker (`local` mode). */
  readonly broker?: LocalBroker;
  /** The local token authority (`local` mode). */
  readonly authority?: TokenAuthority;
  readonly api: ApiServer;
  /** Which pages are served (see {@link StartDemoOptions.pages}). */
  readonly pages: 'dev' | 'prod';
  readonly vite: ViteDevServer | PreviewServer;
  close(): Promise<void>;
}

/** Short, URL- and topic-safe. */
export function randomRoomId(): string {
  return randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').toLowerCase();
}

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** The public settings a static build may bake in; a prod-mode build must not, it has its own `/api/config`. */
const BAKED_SETTINGS = ['COPLAY_PUBLIC_BROKER_URL', 'COPLAY_PUBLIC_TOKEN_URL'] as const;

/** `vite build` of both pages into a fresh temporary directory (removed by the caller). */
async function buildPages(logLevel: NonNullable<StartDemoOptions['logLevel']>): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'coplay-demo-prod-'));
  const saved = BAKED_SETTINGS.map((k) => [k, process.env[k]] as const);
  for (const k of BAKED_SETTINGS) delete process.env[k];
  try {
    await build({
      root: demoRoot,
      configFile: join(demoRoot, 'vite.config.ts'),
      logLevel,
      clearScreen: false,
      build: { outDir, emptyOutDir: true },
    });
    return outDir;
  } catch (err) {
    await rm(outDir, { recursive: true, force: true });
    throw err;
  } finally {
    for (const [k, v] of saved) if (v !== undefined) process.env[k] = v;
  }
}

/**
 * Starts the demo's pieces in order — token authority, broker, API server, Vite (dev server, or a
 * build and the preview server) — and unwinds
 * the ones already running if a later one fails (e.g. a port is taken).
 */
export async function startDemo(config: DemoConfig, options: StartDemoOptions = {}): Promise<RunningDemo> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const unwind = async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
  };
  try {
    // Vite reports a taken port only after starting its dependency scan (noisily); check first.
    if (config.port !== 0) {
      const probe = createServer();
      await listen(probe, config.port, config.host, 'COPLAY_DEMO_PORT', 'the page server (Vite)');
      await closeServer(probe);
    }
    let authority: TokenAuthority | undefined;
    let broker: LocalBroker | undefined;
    let token: NodeHandler | undefined;

    if (config.mode === 'local') {
      // A local stand-in for Easemob's REST API; its secret lives only in this process.
      const appClientSecret = randomBytes(18).toString('base64url');
      authority = await startTokenAuthority({ appId: 'coplaydemo', appClientId: 'demo-app-client', appClientSecret });
      cleanups.push(() => authority!.close());
      broker = await startLocalBroker({
        host: config.host,
        port: config.brokerPort,
        wsPort: config.brokerWsPort,
        authenticate: authority.authenticate,
      });
      cleanups.push(() => broker!.close());
      token = createDemoTokenRoute({
        apiUrl: authority.apiUrl,
        appId: authority.appId,
        appClientId: 'demo-app-client',
        appClientSecret,
      });
    } else if (config.mode === 'easemob') {
      token = createDemoTokenRoute(config.easemob!);
    }

    const testHooks =
      config.testHooks && broker
        ? {
            'broker/stop': async () => {
              await broker.stop();
              return { running: broker.running };
            },
            'broker/start': async () => {
              await broker.start();
              return { running: broker.running };
            },
          }
        : undefined;

    const api = await startApiServer({
      port: config.apiPort,
      publicHost: config.host,
      config: (requestHost) =>
        publicConfig(config, broker ? `ws://${displayHost(requestHost)}:${broker.wsPort}` : undefined),
      ...(token ? { token } : {}),
      ...(testHooks ? { testHooks } : {}),
    });
    cleanups.push(() => api.close());

    const pages = options.pages ?? 'dev';
    const logLevel = options.logLevel ?? 'warn';
    const listenOptions = { host: config.host, port: config.port, strictPort: true, proxy: { '/api': { target: api.url } } };
    let vite: ViteDevServer | PreviewServer;
    try {
      if (pages === 'prod') {
        const outDir = await buildPages(logLevel);
        cleanups.push(() => rm(outDir, { recursive: true, force: true }));
        // The preview server listens as it starts; it serves outDir as a static site.
        const server = await preview({
          root: demoRoot,
          configFile: join(demoRoot, 'vite.config.ts'),
          logLevel,
          clearScreen: false,
          build: { outDir },
          preview: listenOptions,
        });
        cleanups.push(() => server.close());
        vite = server;
      } else {
        const server = await createViteServer({
          root: demoRoot,
          configFile: join(demoRoot, 'vite.config.ts'),
          logLevel,
          clearScreen: false,
          server: listenOptions,
        });
        cleanups.push(() => server.close());
        await server.listen();
        vite = server;
      }
    } catch (err) {
      if (err instanceof Error && /already in use/i.test(err.message)) {
        throw new PortInUseError(config.port, config.host, 'COPLAY_DEMO_PORT', 'the page server (Vite)');
      }
      throw err;
    }
    const pagePort = (vite.httpServer?.address() as { port?: number } | null)?.port ?? config.port;

    const roomId = options.roomId ?? randomRoomId();
    const origin = `http://${displayHost(config.host)}:${pagePort}`;
    return {
      hostUrl: `${origin}/?room=${roomId}`,
      guestUrl: `${origin}/guest.html?room=${roomId}`,
      roomId,
      ...(broker ? { broker } : {}),
      ...(authority ? { authority } : {}),
      api,
      pages,
      vite,
      close: unwind,
    };
  } catch (err) {
    await unwind();
    throw err;
  }
}
