import type { AddressInfo } from 'node:net';
import { startBroker, type EmbeddedBroker } from '@coplay/testkit';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createConnection } from './createConnection';
import { waitForState } from './testing';
import type { Connection } from './types';

/**
 * A WebSocket relay in front of the broker that counts the frames each client sends: the count is
 * taken on a real socket, server side, as a broker would see it.
 */
async function frameCounter(upstreamUrl: string) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (p) => [...p][0] ?? false });
  await new Promise<void>((r) => server.once('listening', () => r()));
  const counts: number[] = [];
  server.on('connection', (client, _req) => {
    const index = counts.push(0) - 1;
    const upstream = new WebSocket(upstreamUrl, client.protocol || 'mqtt');
    const pending: Buffer[] = [];
    upstream.on('open', () => {
      for (const p of pending.splice(0)) upstream.send(p);
    });
    client.on('message', (data: Buffer) => {
      counts[index]!++;
      if (upstream.readyState === WebSocket.OPEN) upstream.send(data);
      else pending.push(data);
    });
    upstream.on('message', (data: Buffer) => client.send(data));
    client.on('close', () => upstream.close());
    upstream.on('close', () => client.close());
    upstream.on('error', () => client.terminate());
  });
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    close: () =>
      new Promise<void>((r) => {
        for (const c of server.clients) c.terminate();
        server.close(() => r());
      }),
  };
}

const nextMacrotask = () => new Promise((r) => setTimeout(r, 1));

let broker: EmbeddedBroker;
let counter: Awaited<ReturnType<typeof frameCounter>>;
const toClose: Array<() => Promise<unknown>> = [];

beforeEach(async () => {
  broker = await startBroker({ ws: true });
  counter = await frameCounter(broker.wsUrl!);
});
afterEach(async () => {
  for (const c of toClose.splice(0).reverse()) await c().catch(() => {});
  await counter.close();
  await broker.close();
});

async function subscriber(topic: string): Promise<{ got: Buffer[] }> {
  const sub: MqttClient = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
  toClose.push(() => sub.endAsync(true));
  const got: Buffer[] = [];
  sub.on('message', (_t, p) => got.push(p));
  await sub.subscribeAsync(topic, { qos: 0 });
  return { got };
}

/** Publishes `n` QoS 0 messages, each in its own macrotask, and returns the frames they took. */
async function framesFor(conn: Connection, topic: string, n: number, got: Buffer[]): Promise<number> {
  const before = counter.counts[0]!;
  for (let i = 0; i < n; i++) {
    await conn.publish(topic, new Uint8Array([i, 0xab, 0xcd]), { qos: 0 });
    await nextMacrotask();
  }
  await expect.poll(() => got.length).toBe(n);
  return counter.counts[0]! - before;
}

describe('wholePacketWebSocket', () => {
  it('sends each PUBLISH as one WebSocket frame from Node, intact', async () => {
    const { got } = await subscriber('frames/whole');
    const conn = createConnection({ url: counter.url, clientId: 'whole-1', wholePacketFrames: true });
    toClose.push(() => conn.close());
    await waitForState(conn, 'connected');
    expect(await framesFor(conn, 'frames/whole', 10, got)).toBe(10);
    expect(got.map((p) => [...p])).toEqual(Array.from({ length: 10 }, (_, i) => [i, 0xab, 0xcd]));
  });

  it('without it, MQTT.js in Node splits a PUBLISH into several frames (what it fixes)', async () => {
    const { got } = await subscriber('frames/split');
    const conn = createConnection({ url: counter.url, clientId: 'split-1', wholePacketFrames: false });
    toClose.push(() => conn.close());
    await waitForState(conn, 'connected');
    expect(await framesFor(conn, 'frames/split', 10, got)).toBeGreaterThanOrEqual(30);
  });

  it('receives through the same socket: a subscription over it delivers', async () => {
    const conn = createConnection({ url: counter.url, clientId: 'whole-rx', wholePacketFrames: true });
    toClose.push(() => conn.close());
    await waitForState(conn, 'connected');
    const got: Uint8Array[] = [];
    const sub = conn.topic('frames/rx').subscribe((m) => got.push(m.payload));
    toClose.push(async () => sub.unsubscribe());
    const pub = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    toClose.push(() => pub.endAsync(true));
    await expect
      .poll(async () => {
        await pub.publishAsync('frames/rx', Buffer.from('hi'), { qos: 0 });
        return got.length;
      })
      .toBeGreaterThan(0);
    expect(Buffer.from(got[0]!).toString()).toBe('hi');
  });
});
