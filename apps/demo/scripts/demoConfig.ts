/**
 * The demo's configuration, read from environment variables (and `apps/demo/.env` if present,
 * loaded by the dev script). Every value is validated here so a typo gives one clear line
 * instead of a stack trace from deep inside a server.
 */

/** Where the demo's MQTT traffic goes. */
export type DemoMode =
  /** Embedded Aedes broker + local Easemob-compatible token authority (the default). */
  | 'local'
  /** A real Easemob MQTT app: tokens from its REST API, broker over wss. */
  | 'easemob'
  /** Any MQTT broker reachable over ws/wss that accepts anonymous clients. */
  | 'mqtt';

export interface EasemobSettings {
  /** `https://api.cn1.mqtt.chat/app/{appId}` style REST base. */
  apiUrl: string;
  appId: string;
  appClientId: string;
  /** Server-side only: never sent to a browser, never bundled. */
  appClientSecret: string;
}

export interface DemoConfig {
  mode: DemoMode;
  /** Interface every listener binds. Loopback by default. */
  host: string;
  /** Vite dev server (the pages). */
  port: number;
  /** The token/config API server; 0 = any free port (it is reached through the Vite proxy). */
  apiPort: number;
  /** Local broker MQTT/TCP port; 0 = any free port. `local` mode only. */
  brokerPort: number;
  /** Local broker MQTT/WebSocket port; 0 = any free port. `local` mode only. */
  brokerWsPort: number;
  /** ws:// or wss:// URL browsers connect to (`easemob` / `mqtt` modes). */
  brokerUrl?: string;
  easemob?: EasemobSettings;
  /** Enables `/api/__test/*` (broker stop/start) for the end-to-end test. */
  testHooks: boolean;
}

/** What browsers get from `GET /api/config`: nothing secret. */
export interface PublicDemoConfig {
  mode: DemoMode;
  brokerUrl: string;
  /** Where the page fetches MQTT credentials; `null` when the broker takes anonymous clients. */
  tokenUrl: string | null;
}

/** A configuration mistake; `message` is meant to be printed as is. */
export class DemoConfigError extends Error {
  override readonly name = 'DemoConfigError';
  constructor(
    message: string,
    /** The environment variable at fault. */
    readonly variable?: string,
  ) {
    super(message);
  }
}

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v === '' ? undefined : v;
}

function port(env: Env, name: string, fallback: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) {
    throw new DemoConfigError(`${name}=${raw} is not a port number (0-65535; 0 picks a free port)`, name);
  }
  return Number(raw);
}

function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new DemoConfigError(`${name}=${raw} is not a URL`, name);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new DemoConfigError(`${name}=${raw} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`, name);
  }
  return raw;
}

function required(env: Env, name: string, mode: DemoMode): string {
  const v = read(env, name);
  if (v === undefined) throw new DemoConfigError(`${name} is required in ${mode} mode`, name);
  return v;
}

/** Reads and validates the configuration. @throws DemoConfigError naming the variable at fault. */
export function loadDemoConfig(env: Env = process.env): DemoConfig {
  const modeRaw = read(env, 'COPLAY_DEMO_MODE');
  if (modeRaw !== undefined && modeRaw !== 'local' && modeRaw !== 'easemob' && modeRaw !== 'mqtt') {
    throw new DemoConfigError(`COPLAY_DEMO_MODE=${modeRaw} must be local, easemob or mqtt`, 'COPLAY_DEMO_MODE');
  }
  const mode: DemoMode =
    modeRaw ?? (read(env, 'COPLAY_EASEMOB_APP_ID') ? 'easemob' : read(env, 'COPLAY_BROKER_URL') ? 'mqtt' : 'local');

  const config: DemoConfig = {
    mode,
    host: read(env, 'COPLAY_DEMO_HOST') ?? '127.0.0.1',
    port: port(env, 'COPLAY_DEMO_PORT', 5173),
    apiPort: port(env, 'COPLAY_API_PORT', 0),
    brokerPort: port(env, 'COPLAY_BROKER_PORT', 0),
    brokerWsPort: port(env, 'COPLAY_BROKER_WS_PORT', 0),
    testHooks: read(env, 'COPLAY_DEMO_TEST_HOOKS') === '1',
  };

  if (mode === 'local') return config;

  const brokerUrl = url(env, 'COPLAY_BROKER_URL', ['ws:', 'wss:']);
  if (brokerUrl === undefined) {
    throw new DemoConfigError(`COPLAY_BROKER_URL (ws:// or wss://) is required in ${mode} mode`, 'COPLAY_BROKER_URL');
  }
  config.brokerUrl = brokerUrl;
  if (mode === 'mqtt') return config;

  const apiUrl = url(env, 'COPLAY_EASEMOB_API_URL', ['http:', 'https:']);
  if (apiUrl === undefined) throw new DemoConfigError('COPLAY_EASEMOB_API_URL is required in easemob mode', 'COPLAY_EASEMOB_API_URL');
  config.easemob = {
    apiUrl,
    appId: required(env, 'COPLAY_EASEMOB_APP_ID', mode),
    appClientId: required(env, 'COPLAY_EASEMOB_CLIENT_ID', mode),
    appClientSecret: required(env, 'COPLAY_EASEMOB_CLIENT_SECRET', mode),
  };
  return config;
}

/**
 * The browser's view of the configuration. Built from an explicit allow-list so that adding a
 * server-side setting can never leak it.
 */
export function publicConfig(config: DemoConfig, localBrokerWsUrl?: string): PublicDemoConfig {
  if (config.mode === 'local') {
    if (!localBrokerWsUrl) throw new Error('publicConfig: the local broker has no WebSocket URL');
    return { mode: 'local', brokerUrl: localBrokerWsUrl, tokenUrl: '/api/token' };
  }
  return {
    mode: config.mode,
    brokerUrl: config.brokerUrl!,
    tokenUrl: config.mode === 'easemob' ? '/api/token' : null,
  };
}

/**
 * Configuration baked into a static build (`npm run build`), from `COPLAY_PUBLIC_BROKER_URL` and
 * `COPLAY_PUBLIC_TOKEN_URL`. `null` (the default, and always in dev) makes the pages fetch
 * `/api/config` at run time instead. Reads nothing else from the environment.
 */
export function buildTimePublicConfig(env: Env): PublicDemoConfig | null {
  const brokerUrl = url(env, 'COPLAY_PUBLIC_BROKER_URL', ['ws:', 'wss:']);
  if (brokerUrl === undefined) return null;
  const tokenUrl = read(env, 'COPLAY_PUBLIC_TOKEN_URL') ?? null;
  return { mode: tokenUrl ? 'easemob' : 'mqtt', brokerUrl, tokenUrl };
}
