import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { faultProxy, type FaultProxy } from './faultProxy';
import { startBroker, type EmbeddedBroker } from './startBroker';

const clients: MqttClient[] = [];
const closers: Array<{ close(): Promise<void> }> = [];

async function connect(url: string, options: IClientOptions): Promise<MqttClient> {
  // allowRetries=false: a connection closed before CONNACK rejects instead of waiting forever.
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 3000, ...options }, false);
  clients.push(client);
  return client;
}

async function setup(options?: { ws?: boolean }): Promise<{ broker: EmbeddedBroker; proxy: FaultProxy }> {
  const broker = await startBroker(options);
  closers.push(broker);
  const proxy = await faultProxy(options?.ws ? `${broker.wsUrl}/mqtt` : broker.url);
  closers.unshift(proxy);
  return { broker, proxy };
}

function collect(client: MqttClient): string[] {
  const got: string[] = [];
  client.on('message', (topic, payload) => got.push(`${topic}=${payload.toString()}`));
  return got;
}

function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.once('close', () => resolve()));
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => {})));
  for (const c of closers.splice(0)) await c.close();
});

describe('faultProxy', () => {
  it('passes traffic through by default', async () => {
    const { broker, proxy } = await setup();
    expect(proxy.url).toBe(`mqtt://127.0.0.1:${proxy.port}`);
    expect(proxy.mode).toBe('pass');
    const viaProxy = await connect(proxy.url, { clientId: 'proxied' });
    const direct = await connect(broker.url, { clientId: 'direct' });
    const got = collect(direct);
    await direct.subscribeAsync('p/#');
    await viaProxy.publishAsync('p/1', 'one', { qos: 1 });
    await expect.poll(() => got.length === 1, { timeout: 5000 }).toBe(true);
    expect(got).toEqual(['p/1=one']);
    expect(proxy.connections).toBe(1);
    expect(broker.connectedClients().sort()).toEqual(['direct', 'proxied']);
  });

  it('proxies MQTT over WebSocket at the TCP level, keeping the path', async () => {
    const { broker, proxy } = await setup({ ws: true });
    expect(proxy.url).toBe(`ws://127.0.0.1:${proxy.port}/mqtt`);
    await connect(proxy.url, { clientId: 'ws-proxied' });
    expect((await broker.waitFor({ type: 'connect', clientId: 'ws-proxied' })).transport).toBe('ws');
  });

  it('cut() drops current connections and keeps accepting', async () => {
    const { broker, proxy } = await setup();
    const client = mqtt.connect(proxy.url, { clientId: 'cut-me', reconnectPeriod: 100, connectTimeout: 2000 });
    clients.push(client);
    await broker.waitFor({ type: 'connect', clientId: 'cut-me' });
    const wasClosed = closed(client);

    proxy.cut();
    await wasClosed;
    expect(await broker.waitFor({ type: 'disconnect', clientId: 'cut-me' })).toMatchObject({ clean: false });
    // The client's own reconnect gets through again.
    await expect.poll(() => broker.count('connect', { clientId: 'cut-me' }) === 2, { timeout: 5000 }).toBe(true);
    expect(proxy.connections).toBe(1);
  });

  it('refuse() drops current connections and turns new ones away until pass()', async () => {
    const { broker, proxy } = await setup();
    const client = await connect(proxy.url, { clientId: 'early' });
    const wasClosed = closed(client);
    proxy.refuse();
    await wasClosed;
    await expect(connect(proxy.url, { clientId: 'refused', connectTimeout: 1000 })).rejects.toThrow();
    expect(broker.count('connect', { clientId: 'refused' })).toBe(0);
    await expect.poll(() => proxy.connections === 0, { timeout: 5000 }).toBe(true);

    proxy.pass();
    await connect(proxy.url, { clientId: 'later' });
    expect(broker.count('connect', { clientId: 'later' })).toBe(1);
  });

  it('blackhole() keeps sockets open but passes nothing; keepalive is what notices', async () => {
    const { broker, proxy } = await setup();
    const direct = await connect(broker.url, { clientId: 'watcher' });
    const got = collect(direct);
    await direct.subscribeAsync('bh/#');
    const victim = await connect(proxy.url, { clientId: 'victim', keepalive: 1 });
    let victimMessages = 0;
    victim.on('message', () => victimMessages++);
    await victim.subscribeAsync('bh/#');

    proxy.blackhole();
    const victimClosed = closed(victim);
    victim.publish('bh/lost', 'never arrives', { qos: 0 });
    await direct.publishAsync('bh/from-direct', 'not delivered to victim', { qos: 1 });

    // MQTT.js gives up once its PINGREQ goes unanswered (about two keepalive periods).
    await victimClosed;
    expect(broker.count('publish', { topic: 'bh/lost' })).toBe(0);
    expect(got).toEqual(['bh/from-direct=not delivered to victim']);
    expect(victimMessages).toBe(0);
    // The broker is not told either: it finds out through its own keepalive timer, as a drop.
    expect(await broker.waitFor({ type: 'disconnect', clientId: 'victim' }, 10_000)).toMatchObject({ clean: false });

    // New connections are accepted but get no CONNACK.
    await expect(connect(proxy.url, { clientId: 'newcomer', connectTimeout: 800 })).rejects.toThrow();
    expect(broker.count('connect', { clientId: 'newcomer' })).toBe(0);
  });

  it('delay(ms) adds latency both ways and keeps order', async () => {
    const { broker, proxy } = await setup();
    const direct = await connect(broker.url, { clientId: 'sink' });
    const got = collect(direct);
    await direct.subscribeAsync('d/#');
    const slow = await connect(proxy.url, { clientId: 'slow' });

    proxy.delay(150);
    expect(proxy.mode).toBe('delay');
    const started = Date.now();
    // PUBLISH up and PUBACK down each wait at least the delay.
    await slow.publishAsync('d/first', '0', { qos: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 150 - 10);
    for (let i = 1; i <= 30; i++) slow.publish('d/seq', String(i), { qos: 0 });
    await expect.poll(() => got.length === 31, { timeout: 5000 }).toBe(true);
    expect(got).toEqual(['d/first=0', ...Array.from({ length: 30 }, (_, i) => `d/seq=${i + 1}`)]);

    proxy.pass();
    await slow.publishAsync('d/fast', 'x', { qos: 1 });
    await expect.poll(() => got.length === 32, { timeout: 5000 }).toBe(true);
    expect(() => proxy.delay(-1)).toThrow(RangeError);
  });

  it('close() ends every connection and stops listening', async () => {
    const { proxy } = await setup();
    const client = await connect(proxy.url, { clientId: 'bye' });
    const wasClosed = closed(client);
    await proxy.close();
    await wasClosed;
    expect(proxy.connections).toBe(0);
    await expect(connect(proxy.url, { clientId: 'after', connectTimeout: 1000 })).rejects.toThrow(/ECONNREFUSED/);
  });
});
