import { createConnection, createServer } from 'node:net';

/**
 * Finds a TCP port that is free on `host` right now, by binding port 0 and closing again.
 * There is a small window in which another process could take it; callers that can listen
 * on port 0 themselves should do that instead.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('freePort: no port assigned'))));
    });
  });
}

/** Resolves true if a TCP connection to host:port succeeds, false if it is refused or times out. */
function probe(port: number, host: string, timeoutMs: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = createConnection({ port, host });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Polls until `host:port` accepts TCP connections. Rejects with an Error naming the address
 * when `timeoutMs` passes first.
 */
export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    if (await probe(port, host, Math.min(500, left))) return;
    await new Promise((r) => setTimeout(r, Math.min(50, Math.max(0, deadline - Date.now()))));
  }
  throw new Error(`waitForPort: nothing accepted connections on ${host}:${port} within ${timeoutMs} ms`);
}
