import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './ports';
import { requireTool } from './requireTool';
import { ServerProcess } from './ServerProcess';

/** A redis-server of our own (never the machine's :6379), no persistence. */
export interface RedisInstance {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** `redis://127.0.0.1:PORT`. */
  readonly url: string;
  close(): Promise<void>;
  log(): string;
}

/** Spawns redis-server on a free loopback port with its dir in a temp dir and no RDB/AOF persistence. */
export async function startRedis(): Promise<RedisInstance> {
  const tool = requireTool('redis-server');
  if (!tool.available || !tool.path) throw new Error(`startRedis: redis-server not found (${tool.reason})`);
  const dir = mkdtempSync(join(tmpdir(), 'coplay-redis-'));
  const port = await freePort();
  const server = new ServerProcess({
    name: 'startRedis',
    binary: tool.path,
    args: ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    ready: () => waitForPort(port, '127.0.0.1', 10_000),
    startTimeoutMs: 10_000,
  });
  try {
    await server.start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let closed = false;
  return {
    host: '127.0.0.1',
    port,
    url: `redis://127.0.0.1:${port}`,
    async close() {
      if (closed) return;
      closed = true;
      await server.terminate('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => server.log(),
  };
}
