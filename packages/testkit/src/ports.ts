import getPort from 'get-port';
import waitPort from 'wait-port';

/**
 * A TCP port free on `host` right now (`get-port`, which also keeps it from being handed out twice
 * in this process for a while). Another process could still take it before the caller binds it;
 * callers that can listen on port 0 themselves should do that instead.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return getPort({ host });
}

/**
 * Resolves once `host:port` accepts TCP connections (`wait-port`). Rejects with an Error naming the
 * address when `timeoutMs` passes first.
 */
export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 5000): Promise<void> {
  const { open } = await waitPort({ host, port, timeout: timeoutMs, interval: 50, output: 'silent' });
  if (!open) throw new Error(`waitForPort: nothing accepted connections on ${host}:${port} within ${timeoutMs} ms`);
}
