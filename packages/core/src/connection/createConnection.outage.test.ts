import { requireTool, startBroker, startMosquitto } from '@coplay/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection } from './createConnection';
import { waitForState } from './testing';
import type { ConnectionState, Message } from './types';

interface Restartable {
  url: string;
  stop(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

const mosquitto = requireTool('mosquitto');
const kinds: Array<[string, () => Promise<Restartable>, boolean]> = [
  ['embedded Aedes', () => startBroker(), true],
  ['mosquitto', () => startMosquitto(), mosquitto.available],
];

const text = (m: Message) => new TextDecoder().decode(m.payload);
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(kinds)('broker outage and restart on %s', (_name, start, available) => {
  let broker: Restartable;
  beforeAll(async () => {
    if (available) broker = await start();
  });
  afterAll(async () => {
    await broker?.close();
  });

  it.skipIf(!available)('reconnects with growing delays, resubscribes and flushes the queue in order within its bounds', async () => {
    const conn = createConnection({
      url: broker.url,
      clientId: `outage-${Math.random().toString(16).slice(2, 8)}`,
      reconnect: { initialDelayMs: 50, maxDelayMs: 400, multiplier: 2, jitter: 0, connectTimeoutMs: 1000 },
    });
    const states: ConnectionState[] = [];
    conn.state.value$.subscribe((s) => states.push(s));
    const received: string[] = [];
    conn.topic('outage/#', { qos: 1 }).subscribe((m) => received.push(`${m.topic}:${text(m)}`));
    await waitForState(conn, 'connected');
    await conn.publish('outage/live', 'before', { qos: 1 });
    await expect.poll(() => received).toEqual(['outage/live:before']);

    await broker.stop();
    await waitForState(conn, 'reconnecting');
    const results = [
      conn.publish('outage/q', '1', { qos: 1 }),
      conn.publish('outage/q', 'expires', { qos: 1, ttlMs: 100 }),
      conn.publish('outage/pad', 'pad-1', { qos: 0, coalesceKey: 'pad' }),
      conn.publish('outage/q', '2', { qos: 1 }),
      conn.publish('outage/pad', 'pad-2', { qos: 0, coalesceKey: 'pad' }),
      conn.publish('outage/q', '3', { qos: 1 }),
      conn.publish('outage/pad', 'pad-3', { qos: 0, coalesceKey: 'pad' }),
    ];
    expect(conn.queue.value).toMatchObject({ depth: 5, coalesced: 2 });
    await delay(1200);
    expect(conn.queue.value).toMatchObject({ depth: 4, expired: 1 });
    await broker.restart();
    await waitForState(conn, 'connected', 10_000);
    await expect(Promise.all(results)).resolves.toEqual([true, false, false, true, false, true, true]);
    // MQTT orders messages per topic and QoS, not across them: check each stream on its own.
    await expect.poll(() => received.length).toBe(5);
    await delay(200);
    expect(received.filter((r) => r.startsWith('outage/q') || r.startsWith('outage/live'))).toEqual([
      'outage/live:before',
      'outage/q:1',
      'outage/q:2',
      'outage/q:3',
    ]);
    expect(received.filter((r) => r.startsWith('outage/pad'))).toEqual(['outage/pad:pad-3']);

    const delays = states.flatMap((s) => (s.status === 'reconnecting' ? [s.delayMs] : []));
    expect(delays.length).toBeGreaterThanOrEqual(3);
    expect(delays.slice(0, 4)).toEqual([50, 100, 200, 400].slice(0, Math.min(4, delays.length)));
    expect(Math.max(...delays)).toBeLessThanOrEqual(400);
    await conn.close();
  });
});
