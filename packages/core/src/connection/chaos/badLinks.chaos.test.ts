import { faultProxy, requireTool, startBroker, startMosquitto, type FaultProxy } from '@coplay/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConnection } from '../createConnection';
import { waitForState, waitForStateWhere } from '../testing';
import type { Connection, ConnectionOptions, ConnectionState } from '../types';
import { heapAfterGc } from './heapAfterGc';

// Chaos: bad links between a publisher and the broker (real sockets through the fault proxy):
// long delay, a 2 kB/s trickle, and a black hole. Each is detected or ridden out, the queue stays
// within its bounds, and every publish promise settles — true only for what the subscriber got.

/** Heap growth allowed over the measured rounds (after GC); measured 0.0–0.5 MB (Aedes, in this process, adds ~0.1 MB a round). */
const HEAP_SLACK = 1.5 * 1024 * 1024;

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
  it.skipIf(!available)('heap flat: round after round of delay, trickle and black hole, the queue and the heap stay where they were', async () => {
    const { c } = publisher({ keepalive: 1, queue: { maxMessages: 20, overflow: 'drop-newest' } });
    await waitForState(c, 'connected');
    let maxDepth = 0;
    c.queue.value$.subscribe((q) => (maxDepth = Math.max(maxDepth, q.depth)));
    const round = async (r: number) => {
      received.length = 0;
      proxy.delay(200);
      const delayed = await Promise.all(Array.from({ length: 300 }, (_, i) => c.publish('links/d', `${r}-${i}`, { qos: 1 })));
      expect(delayed.every(Boolean)).toBe(true);
      proxy.throttle(2000);
      for (let i = 0; i < 30; i++) void c.publish('links/in', `f-${i}`, { qos: 0, whenOffline: 'drop' });
      await expect(c.publish('links/ctl', `control-${r}`, { qos: 1 })).resolves.toBe(true);
      proxy.blackhole();
      const inFlight = c.publish('links/ctl', `in-flight-${r}`, { qos: 1 });
      await waitForStateWhere(c, (s) => s.status === 'reconnecting', 10_000);
      proxy.cut();
      // Far more than the queue holds: the in-flight one kept its place, 19 more fit, the rest resolve false at once.
      const queued = Array.from({ length: 3000 }, (_, i) => c.publish('links/q', `${r}-${i}`, { qos: 1 }));
      await expect(inFlight).resolves.toBe(true);
      const results = await Promise.all(queued);
      expect(results.filter(Boolean).length).toBe(19);
      await waitForState(c, 'connected', 10_000);
      await expect.poll(() => received.includes(`in-flight-${r}`)).toBe(true);
      expect(c.queue.value.depth).toBe(0);
    };
    // Two rounds warm up (JIT, socket buffers, pools); four more must leave the heap where they found it.
    await round(0);
    await round(1);
    const before = await heapAfterGc();
    for (let r = 2; r < 6; r++) await round(r);
    const after = await heapAfterGc();
    expect(after - before, `heap grew ${((after - before) / 1e6).toFixed(2)} MB over 4 rounds`).toBeLessThan(HEAP_SLACK);
    // Bounded: the queue never held more than its limit.
    expect(maxDepth).toBeLessThanOrEqual(20);
    expect(c.queue.value.depth).toBe(0);
  }, 180_000);
});
