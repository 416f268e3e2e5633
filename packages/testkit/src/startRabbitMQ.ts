import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from './ports';
import { requireTool } from './requireTool';
import { ServerProcess } from './ServerProcess';
import { waitForMqtt } from './waitForMqtt';

/** Options of {@link startRabbitMQ}. */
export interface StartRabbitMQOptions {
  /** Also enable `rabbitmq_web_mqtt` (path `/ws`) on a second port. */
  ws?: boolean | undefined;
  /** Startup timeout in ms; default 60 000 (a node takes 9–20 s to boot on a loaded machine). */
  startTimeoutMs?: number | undefined;
}

/** A RabbitMQ node of our own with the MQTT plugin, on its own ports and data dir. */
export interface RabbitMQInstance {
  /** `mqtt://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** `ws://127.0.0.1:WSPORT/ws` with `ws: true`. */
  readonly wsUrl?: string | undefined;
  /** Erlang node name, e.g. `coplay-41234@localhost`. */
  readonly nodeName: string;
  readonly pid: number | undefined;
  readonly running: boolean;
  /** Stops the node and removes its temp dir. */
  close(): Promise<void>;
  log(): string;
}

/**
 * Boots a separate RabbitMQ node (never the machine's default one): its own node name, AMQP, MQTT and
 * distribution ports, mnesia/log dirs, enabled-plugins and config files, and HOME (Erlang cookie), all in a
 * temp dir. Start it once per test file: a boot takes 9–20 s.
 */
export async function startRabbitMQ(options: StartRabbitMQOptions = {}): Promise<RabbitMQInstance> {
  const tool = requireTool('rabbitmq-server');
  if (!tool.available || !tool.path) throw new Error(`startRabbitMQ: rabbitmq-server not found (${tool.reason})`);
  // Debian's /usr/sbin/rabbitmq-server is a wrapper that switches to the `rabbitmq` user when run as
  // root, who cannot read our 0700 temp dir; the real script next to the Erlang libs runs as us.
  const direct = '/usr/lib/rabbitmq/bin/rabbitmq-server';
  const binary = requireToolAt(direct) ? direct : tool.path;
  const dir = mkdtempSync(join(tmpdir(), 'coplay-rabbitmq-'));
  const [amqpPort, mqttPort, distPort] = [await freePort(), await freePort(), await freePort()];
  const wsPort = options.ws ? await freePort() : undefined;
  const nodeName = `coplay-${mqttPort}@localhost`;
  writeFileSync(join(dir, 'enabled_plugins'), options.ws ? '[rabbitmq_mqtt,rabbitmq_web_mqtt].\n' : '[rabbitmq_mqtt].\n');
  const conf = [
    `listeners.tcp.default = 127.0.0.1:${amqpPort}`,
    `mqtt.listeners.tcp.default = 127.0.0.1:${mqttPort}`,
    'mqtt.allow_anonymous = true',
    ...(wsPort !== undefined ? [`web_mqtt.tcp.port = ${wsPort}`, 'web_mqtt.tcp.ip = 127.0.0.1'] : []),
    'log.console = true',
    'log.console.level = warning',
    'log.file = false',
  ];
  writeFileSync(join(dir, 'rabbitmq.conf'), conf.join('\n') + '\n');
  const url = `mqtt://127.0.0.1:${mqttPort}`;
  const timeout = options.startTimeoutMs ?? 60_000;
  const server = new ServerProcess({
    name: 'startRabbitMQ',
    binary,
    args: [],
    env: {
      ...process.env,
      HOME: dir,
      RABBITMQ_NODENAME: nodeName,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(amqpPort),
      RABBITMQ_DIST_PORT: String(distPort),
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
      RABBITMQ_PLUGINS_EXPAND_DIR: join(dir, 'plugins-expand'),
      RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
    },
    cwd: dirname(binary),
    ready: () => waitForMqtt(url, timeout),
    startTimeoutMs: timeout,
    stopTimeoutMs: 15_000,
  });
  try {
    await server.start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let closed = false;
  return {
    url,
    port: mqttPort,
    wsUrl: wsPort !== undefined ? `ws://127.0.0.1:${wsPort}/ws` : undefined,
    nodeName,
    get pid() {
      return server.pid;
    },
    get running() {
      return server.running;
    },
    async close() {
      if (closed) return;
      closed = true;
      await server.terminate('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => server.log(),
  };
}

function requireToolAt(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
