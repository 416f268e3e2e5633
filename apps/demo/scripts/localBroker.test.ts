import { createServer } from 'node:net';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { PortInUseError, closeServer } from './listen';
import { startLocalBroker, type LocalBroker } from './localBroker';

const opened: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of opened.splice(0).reverse()) await o.close();
});

async function broker(options: Partial<Parameters<typeof startLocalBroker>[0]> = {}): Promise<LocalBroker> {
  const b = await startLocalBroker({ host: '127.0.0.1', port: 0, wsPort: 0, ...options });
  opened.push(b);
  return b;
}

/** Connects once (no retries) and resolves with the CONNACK outcome. */
function tryConnect(url: string, opts: mqtt.IClientOptions = {}): Promise<'ok' | number | `error: ${string}`> {
  return new Promise((resolve) => {
    const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 3000, ...opts });
    client.once('connect', () => {
      client.end(true);
      resolve('ok');
    });
    client.once('error', (err) => {
      client.end(true);
      resolve((err as Error & { code?: number }).code ?? `error: ${err.message}`);
    });
  });
}

describe('startLocalBroker', () => {
  it('speaks MQTT on TCP and WebSocket and relays between them', async () => {
    const b = await broker();
    const sub = mqtt.connect(b.url, { reconnectPeriod: 0 });
    const pub = mqtt.connect(b.wsUrl, { reconnectPeriod: 0 });
    opened.push({ close: () => sub.endAsync(true) }, { close: () => pub.endAsync(true) });
    await sub.subscribeAsync('demo/t');
    const got = new Promise<string>((r) => sub.on('message', (_t, p) => r(p.toString())));
    await pub.publishAsync('demo/t', 'hello');
    expect(await got).toBe('hello');
    expect(b.clients).toBe(2);
  });

  it('refuses clients the authenticate hook rejects', async () => {
    const b = await broker({ authenticate: ({ username, password }) => username === 'u' && password?.toString() === 'p' });
    expect(await tryConnect(b.wsUrl, { username: 'u', password: 'p' })).toBe('ok');
    expect(await tryConnect(b.wsUrl, { username: 'u', password: 'wrong' })).toBe(5);
  });

  it('stops (dropping clients) and starts again on the same ports', async () => {
    const b = await broker();
    const { port, wsPort } = b;
    expect(await tryConnect(b.url)).toBe('ok');
    await b.stop();
    expect(b.running).toBe(false);
    expect(await tryConnect(b.url)).not.toBe('ok');
    await b.start();
    expect([b.port, b.wsPort]).toEqual([port, wsPort]);
    expect(await tryConnect(b.wsUrl)).toBe('ok');
  });

  it('reports a taken port with the variable that moves it', async () => {
    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', r));
    const taken = (squatter.address() as { port: number }).port;
    try {
      const err = await startLocalBroker({ host: '127.0.0.1', port: 0, wsPort: taken }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PortInUseError);
      expect((err as PortInUseError).variable).toBe('COPLAY_BROKER_WS_PORT');
      expect((err as Error).message).toContain(`127.0.0.1:${taken} is already in use`);
    } finally {
      await closeServer(squatter);
    }
  });

  it('reports a port taken during an outage when starting again, and starts once it is free', async () => {
    const b = await broker();
    await b.stop();
    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(b.port, '127.0.0.1', r));
    try {
      const err = await b.start().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PortInUseError);
      expect((err as PortInUseError).variable).toBe('COPLAY_BROKER_PORT');
      expect(b.running).toBe(false);
    } finally {
      await closeServer(squatter);
    }
    await b.start();
    expect(await tryConnect(b.url)).toBe('ok');
  });
});
