import { faultProxy, requireTool, startBroker, startMosquitto, type FaultProxy } from '@coplay/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConnection } from '../createConnection';
import { waitForState, waitForStateWhere } from '../testing';
import type { Connection, ConnectionOptions, ConnectionState } from '../types';

// Chaos: bad links between a publisher and the broker (real sockets through the fault proxy):
// long delay, a 2 kB/s trickle, and a black hole. Each is detected or ridden out, the queue stays
// within its bounds, and every publish promise settles — true only for what the subscriber got.

const mosquitto = requireTool('mosquitto');
const brokers: Array<[string, () => Promise<{ url: string; close(): Promise<void> }>, boolean]> = [
  ['Aedes', () => startBroker({ record: false }), true],
  ['mosquitto', () => startMosquitto(), mosquitto.available],
];

describe.each(brokers)('bad links (%s)', (_name, start, available) => {
  let broker: { url: string; close(): Promise<void> };
  let proxy: FaultProxy;
  const conns: Connection[] = [];
  const received: string[] = [];
  let probes = 0;

  beforeEach(async () => {
    if (!available) return;
    broker = await start();
    proxy = await faultProxy(broker.url);
    received.length = 0;
    const sub = createConnection({ url: broker.url, clientId: 'links-sub' });
    conns.push(sub);
    sub.topic('links/#', { qos: 1 }).subscribe((m) => {
      if (m.topic === 'links/probe') probes++;
      else received.push(new TextDecoder().decode(m.payload));
    });
    // Subscribed once a probe makes the round trip.
    await expect.poll(async () => (await sub.publish('links/probe', '', { qos: 1 }), probes > 0)).toBe(true);
  });
  afterEach(async () => {
    if (!available) return;
    await Promise.all(conns.splice(0).map((c) => c.close()));
    await proxy.close();
    await broker.close();
  });

  function publisher(extra: Partial<ConnectionOptions> = {}) {
    const c = createConnection({ url: proxy.url, clientId: 'links-pub', reconnect: { initialDelayMs: 50, maxDelayMs: 200 }, ...extra });
    conns.push(c);
    const states: ConnectionState['status'][] = [];
    c.state.value$.subscribe((s) => states.push(s.status));
    return { c, states };
  }

  it.skipIf(!available)('200 ms of added latency: no reconnect, QoS 1 all acknowledged and received in order', async () => {
    const { c, states } = publisher();
    await waitForState(c, 'connected');
    proxy.delay(200);
    const sent = Array.from({ length: 30 }, (_, i) => c.publish('links/d', String(i), { qos: 1 }));
    await expect(Promise.all(sent)).resolves.toEqual(sent.map(() => true));
    await expect.poll(() => received.length).toBe(30);
    expect(received).toEqual(Array.from({ length: 30 }, (_, i) => String(i)));
    expect(states.filter((s) => s === 'reconnecting')).toEqual([]);
  });

  it.skipIf(!available)('a 2 kB/s trickle under a 60 Hz stream: the link holds, control still gets through, the queue stays empty', async () => {
    const { c, states } = publisher();
    await waitForState(c, 'connected');
    proxy.throttle(2000);
    const frames: Array<Promise<boolean>> = [];
    for (let i = 0; i < 60; i++) {
      frames.push(c.publish('links/in', `frame-${String(i).padStart(3, '0')}-${'x'.repeat(20)}`, { qos: 0, whenOffline: 'drop' }));
      await new Promise((r) => setTimeout(r, 1000 / 60));
    }
    await expect(c.publish('links/ctl', 'control', { qos: 1 })).resolves.toBe(true);
    await Promise.all(frames);
    expect(received).toContain('control');
    expect(c.queue.value.depth).toBe(0);
    expect(states.filter((s) => s === 'reconnecting')).toEqual([]);
  });

  it.skipIf(!available)('a black hole is detected by the keepalive, the queue stays within its bounds, and everything settles after it heals', async () => {
    // drop-newest: the oldest (the message that was in flight) keeps its place at the head of the queue.
    const { c } = publisher({ keepalive: 1, queue: { maxMessages: 20, overflow: 'drop-newest' } });
    await waitForState(c, 'connected');
    proxy.blackhole();
    const control = c.publish('links/ctl', 'in-flight', { qos: 1 }); // written, never acknowledged
    const lost = await waitForStateWhere(c, (s) => s.status === 'reconnecting', 10_000);
    expect(lost).toMatchObject({ reason: { code: 'KEEPALIVE_TIMEOUT' } });
    proxy.cut(); // heal: new connections pass again
    const queued = Array.from({ length: 100 }, (_, i) => c.publish('links/q', String(i), { qos: 1 }));
    expect(c.queue.value).toMatchObject({ depth: 20, dropped: 81 });
    const results = await Promise.all(queued);
    await expect(control).resolves.toBe(true);
    await waitForState(c, 'connected', 10_000);
    const delivered = results.map((r, i) => (r ? String(i) : undefined)).filter((x): x is string => x !== undefined);
    await expect.poll(() => delivered.every((d) => received.includes(d))).toBe(true);
    expect(received).toContain('in-flight');
    expect(results.filter((r) => !r).length).toBe(c.queue.value.dropped);
  });
});
