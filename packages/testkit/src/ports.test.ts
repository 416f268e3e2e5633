import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, waitForPort } from './ports';

describe('ports', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  it('freePort returns a port that can then be bound', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    server = createServer();
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, '127.0.0.1', () => resolve());
    });
  });

  it('waitForPort resolves once a listener appears', async () => {
    const port = await freePort();
    const waiting = waitForPort(port, '127.0.0.1', 5000);
    setTimeout(() => {
      server = createServer();
      server.listen(port, '127.0.0.1');
    }, 200);
    await expect(waiting).resolves.toBeUndefined();
  });

  it('waitForPort rejects with a clear error when nothing listens', async () => {
    const port = await freePort();
    await expect(waitForPort(port, '127.0.0.1', 300)).rejects.toThrow(`127.0.0.1:${port}`);
  });
});
