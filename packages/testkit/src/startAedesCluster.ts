import { fileURLToPath } from 'node:url';
import { freePort } from './ports';
import { startRedis, type RedisInstance } from './startRedis';
import { ServerProcess } from './ServerProcess';
import { waitForMqtt } from './waitForMqtt';

/** Options of {@link startAedesCluster}. */
export interface StartAedesClusterOptions {
  /** Number of Aedes processes; default 2. */
  nodes?: number | undefined;
  /** Per-node startup timeout; default 15 000 ms. */
  startTimeoutMs?: number | undefined;
  /**
   * Aedes `heartbeatInterval`; default 1000 ms. A crashed node's clients' wills are published by a
   * surviving node once its heartbeat is 3 intervals old, checked every 4 (Aedes' default 60 s means minutes).
   */
  heartbeatIntervalMs?: number | undefined;
}

/** One Aedes process of the cluster. */
export interface AedesClusterNode {
  readonly url: string;
  readonly port: number;
  readonly pid: number | undefined;
  readonly running: boolean;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
  /** SIGTERM: a clean stop. */
  stop(): Promise<void>;
  /** Start again on the same port. */
  restart(): Promise<void>;
  log(): string;
}

/** Aedes nodes sharing state through a Redis of their own. */
export interface AedesCluster {
  readonly nodes: readonly AedesClusterNode[];
  readonly urls: readonly string[];
  readonly redis: RedisInstance;
  close(): Promise<void>;
}

/**
 * Starts a redis-server on a free port and N Aedes processes that share subscriptions, sessions,
 * retained messages and wills through it (`mqemitter-redis` + `aedes-persistence-redis`): how the
 * embedded broker grows past one process. MQTT 3.1.1 over TCP.
 */
export async function startAedesCluster(options: StartAedesClusterOptions = {}): Promise<AedesCluster> {
  const count = options.nodes ?? 2;
  const redis = await startRedis();
  const script = fileURLToPath(new URL('./aedesRedisNode.mjs', import.meta.url));
  const nodes: AedesClusterNode[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const port = await freePort();
      const url = `mqtt://127.0.0.1:${port}`;
      const server = new ServerProcess({
        name: `startAedesCluster node ${i + 1}`,
        binary: process.execPath,
        args: [script, String(port), String(redis.port), `aedes-${port}`, String(options.heartbeatIntervalMs ?? 1000)],
        ready: () => waitForMqtt(url, options.startTimeoutMs ?? 15_000),
        startTimeoutMs: options.startTimeoutMs ?? 15_000,
      });
      await server.start();
      nodes.push({
        url,
        port,
        get pid() {
          return server.pid;
        },
        get running() {
          return server.running;
        },
        kill: () => server.terminate('SIGKILL'),
        stop: () => server.terminate('SIGTERM'),
        async restart() {
          await server.terminate('SIGTERM');
          await server.start();
        },
        log: () => server.log(),
      });
    }
  } catch (err) {
    await Promise.all(nodes.map((n) => n.kill()));
    await redis.close();
    throw err;
  }
  return {
    nodes,
    urls: nodes.map((n) => n.url),
    redis,
    async close() {
      await Promise.all(nodes.map((n) => n.stop()));
      await redis.close();
    },
  };
}
