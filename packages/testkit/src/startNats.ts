import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';
import { requireTool } from './requireTool';
import { ServerProcess } from './ServerProcess';
import { waitForMqtt } from './waitForMqtt';

/** Options of {@link startNats}. */
export interface StartNatsOptions {
  /** Also serve MQTT over WebSocket (path `/mqtt`) on a second port. */
  ws?: boolean | undefined;
  /** JetStream `server_name`; default `coplay-<port>`. */
  serverName?: string | undefined;
  /** Appended verbatim to the generated config. */
  extraConfig?: string | undefined;
  /** Startup timeout in ms; default 15 000 (JetStream must be up before MQTT accepts). */
  startTimeoutMs?: number | undefined;
}

/** One nats-server process with MQTT on its own loopback ports and a JetStream store in a temp dir. */
export interface NatsInstance {
  /** `mqtt://127.0.0.1:PORT`; stays the same across restarts. */
  readonly url: string;
  readonly port: number;
  /** `ws://127.0.0.1:WSPORT/mqtt` with `ws: true`. */
  readonly wsUrl?: string | undefined;
  /** `nats://127.0.0.1:PORT` (the NATS client port). */
  readonly natsUrl: string;
  /** `http://127.0.0.1:PORT`: the monitoring endpoint (`/jsz`, `/varz`, `/routez`). */
  readonly monitorUrl: string;
  readonly serverName: string;
  readonly configPath: string;
  readonly pid: number | undefined;
  readonly running: boolean;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** SIGKILL and wait: a crash. */
  kill(): Promise<void>;
  /** Start again with the same config, ports and JetStream store (stops first if running). */
  restart(): Promise<void>;
  /** Final stop; removes the temp dir. */
  close(): Promise<void>;
  log(): string;
}

/** Ports and cluster settings a node is started with (startNatsCluster fills these in). */
export interface NatsNodePlan {
  readonly port: number;
  readonly mqttPort: number;
  readonly monitorPort: number;
  readonly wsPort?: number | undefined;
  readonly serverName: string;
  readonly cluster?: { readonly name: string; readonly port: number; readonly routes: readonly number[]; readonly streamReplicas: number };
}

/** Internal: starts one node from a plan. */
export async function startNatsNode(plan: NatsNodePlan, options: StartNatsOptions = {}): Promise<NatsInstance> {
  const tool = requireTool('nats-server');
  if (!tool.available || !tool.path) throw new Error(`startNats: nats-server not found (${tool.reason})`);
  const dir = mkdtempSync(join(tmpdir(), 'coplay-nats-'));
  const lines = [
    `server_name: "${plan.serverName}"`,
    `listen: "127.0.0.1:${plan.port}"`,
    `http: "127.0.0.1:${plan.monitorPort}"`,
    `jetstream { store_dir: "${join(dir, 'js')}" }`,
    // MQTT needs JetStream; its sessions live in streams, replicated across a cluster when asked.
    `mqtt { listen: "127.0.0.1:${plan.mqttPort}"${plan.cluster ? `, stream_replicas: ${plan.cluster.streamReplicas}` : ''} }`,
  ];
  if (plan.wsPort !== undefined) lines.push(`websocket { listen: "127.0.0.1:${plan.wsPort}", no_tls: true }`);
  if (plan.cluster) {
    const routes = plan.cluster.routes.map((p) => `"nats-route://127.0.0.1:${p}"`).join(', ');
    lines.push(`cluster { name: "${plan.cluster.name}", listen: "127.0.0.1:${plan.cluster.port}", routes: [${routes}] }`);
  }
  if (options.extraConfig) lines.push(options.extraConfig);
  const configPath = join(dir, 'nats.conf');
  writeFileSync(configPath, lines.join('\n') + '\n');
  const url = `mqtt://127.0.0.1:${plan.mqttPort}`;
  const server = new ServerProcess({
    name: 'startNats',
    binary: tool.path,
    args: ['-c', configPath],
    ready: () => waitForMqtt(url, options.startTimeoutMs ?? 15_000),
    startTimeoutMs: options.startTimeoutMs ?? 15_000,
  });
  let closed = false;
  try {
    await server.start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url,
    port: plan.mqttPort,
    wsUrl: plan.wsPort !== undefined ? `ws://127.0.0.1:${plan.wsPort}/mqtt` : undefined,
    natsUrl: `nats://127.0.0.1:${plan.port}`,
    monitorUrl: `http://127.0.0.1:${plan.monitorPort}`,
    serverName: plan.serverName,
    configPath,
    get pid() {
      return server.pid;
    },
    get running() {
      return server.running;
    },
    stop: () => server.terminate('SIGTERM'),
    kill: () => server.terminate('SIGKILL'),
    async restart() {
      if (closed) throw new Error('startNats: restart() after close()');
      await server.terminate('SIGTERM');
      await server.start();
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

/**
 * Spawns nats-server 2.9+ with MQTT (3.1.1, QoS ≤ 1) and JetStream on free loopback ports, its store
 * in a temp dir, and waits until an MQTT CONNECT is accepted. Throws with the server's log otherwise.
 */
export async function startNats(options: StartNatsOptions = {}): Promise<NatsInstance> {
  const [port, mqttPort, monitorPort] = [await freePort(), await freePort(), await freePort()];
  const wsPort = options.ws ? await freePort() : undefined;
  return startNatsNode({ port, mqttPort, monitorPort, wsPort, serverName: options.serverName ?? `coplay-${mqttPort}` }, options);
}
