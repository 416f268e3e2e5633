import { faultProxy, freePort, startBroker, type EmbeddedBroker } from '@coplay/testkit';
import { VirtualTimeScheduler } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createConnection } from './createConnection';
import { advance, waitForState } from './testing';
import type { Connection, ConnectionOptions, Message } from './types';

const text = (m: Message) => new TextDecoder().decode(m.payload);

let broker: EmbeddedBroker;
const conns: Connection[] = [];
const open = (opts: Partial<ConnectionOptions> & { clientId: string }) => {
  const c = createConnection({ url: broker.url, ...opts });
  conns.push(c);
  return c;
};

beforeEach(async () => {
  broker = await startBroker();
});
afterEach(async () => {
  await Promise.all(conns.splice(0).map((c) => c.close()));
  await broker.close();
});

describe('createConnection against an embedded broker', () => {
  it('round-trips a publish through a subscription, with wildcards', async () => {
    const pub = open({ clientId: 'pub' });
    const sub = open({ clientId: 'sub' });
    const got: string[] = [];
    sub.topic('room/+/in').subscribe((m) => got.push(`${m.topic}=${text(m)}`));
    await broker.waitFor({ type: 'subscribe', clientId: 'sub' });
    await expect(pub.publish('room/1/in', 'hello', { qos: 1 })).resolves.toBe(true);
    await pub.publish('room/1/out', 'not for us', { qos: 1 });
    await pub.publish('room/2/in', 'world', { qos: 1 });
    await expect.poll(() => got).toEqual(['room/1/in=hello', 'room/2/in=world']);
    expect(sub.state.value.status).toBe('connected');
  });

  it('routes each message only to the observables whose filter matches', async () => {
    const c = open({ clientId: 'router' });
    const a: string[] = [];
    const b: string[] = [];
    const all: string[] = [];
    c.topic('x/a').subscribe((m) => a.push(m.topic));
    c.topic('x/b').subscribe((m) => b.push(m.topic));
    c.topic('x/#').subscribe((m) => all.push(m.topic));
    await waitForState(c, 'connected');
    await broker.waitFor({ type: 'subscribe', clientId: 'router' });
    await c.publish('x/a', '1', { qos: 1 });
    await c.publish('x/b', '2', { qos: 1 });
    await expect.poll(() => all.length).toBe(2);
    expect(a).toEqual(['x/a']);
    expect(b).toEqual(['x/b']);
  });

  it('ref-counts subscriptions: one SUBSCRIBE for two subscribers, one UNSUBSCRIBE after both leave', async () => {
    // The grace period runs on virtual time; a SUBSCRIBE to another filter is the barrier that shows
    // the broker has seen everything the client sent before it.
    const scheduler = new VirtualTimeScheduler();
    const c = open({ clientId: 'rc', unsubscribeGraceMs: 100, scheduler });
    advance(scheduler, 0);
    await waitForState(c, 'connected');
    const barrier = async (n: number) => {
      c.topic(`barrier/${n}`).subscribe();
      await broker.waitFor({ type: 'subscribe', clientId: 'rc', filters: [`barrier/${n}`] });
    };
    const s1 = c.topic('t/1').subscribe();
    const s2 = c.topic('t/1').subscribe();
    await broker.waitFor({ type: 'subscribe', clientId: 'rc', filters: ['t/1'] });
    s1.unsubscribe();
    // Leave and come back inside the grace period: no churn on the wire, however long we wait.
    s2.unsubscribe();
    const s3 = c.topic('t/1').subscribe();
    advance(scheduler, 1000);
    await barrier(1);
    expect(broker.count('subscribe', { clientId: 'rc', filters: ['t/1'] })).toBe(1);
    expect(broker.count('unsubscribe', { clientId: 'rc' })).toBe(0);
    s3.unsubscribe();
    advance(scheduler, 99);
    await barrier(2);
    expect(broker.count('unsubscribe', { clientId: 'rc' })).toBe(0);
    advance(scheduler, 1);
    await broker.waitFor({ type: 'unsubscribe', clientId: 'rc', filters: ['t/1'] });
    advance(scheduler, 1000);
    await barrier(3);
    expect(broker.count('unsubscribe', { clientId: 'rc' })).toBe(1);
    expect(broker.count('subscribe', { clientId: 'rc', filters: ['t/1'] })).toBe(1);
  });

  it('subscriptions made before CONNACK are sent once connected', async () => {
    const c = open({ clientId: 'early' });
    const got: string[] = [];
    c.topic('early/#').subscribe((m) => got.push(text(m)));
    await broker.waitFor({ type: 'subscribe', clientId: 'early' });
    await c.publish('early/x', 'ok');
    await expect.poll(() => got).toEqual(['ok']);
  });

  it('fails over: with the first URL dead it connects to the second', async () => {
    const dead = `mqtt://127.0.0.1:${await freePort()}`;
    const c = open({ clientId: 'fo', url: [dead, broker.url], reconnect: { connectTimeoutMs: 2000 } });
    const s = await waitForState(c, 'connected');
    expect(s.server).toBe(broker.url);
    await broker.waitFor({ type: 'connect', clientId: 'fo' });
    expect(broker.count('connect', { clientId: 'fo' })).toBe(1);
  });

  it('sends the last will only when the link drops, not on close()', async () => {
    const watcher = open({ clientId: 'watcher' });
    const wills: string[] = [];
    watcher.topic('will/#').subscribe((m) => wills.push(text(m)));
    await broker.waitFor({ type: 'subscribe', clientId: 'watcher' });
    const proxy = await faultProxy(broker.url);
    const c = open({ clientId: 'mortal', url: proxy.url, will: { topic: 'will/mortal', payload: 'gone', qos: 1 } });
    await waitForState(c, 'connected');
    proxy.cut();
    await expect.poll(() => wills).toEqual(['gone']);
    await waitForState(c, 'connected');
    await c.close();
    // Explicit events, not a sleep: the broker handled the clean DISCONNECT (where it drops the will),
    // then relays a marker after anything it would have sent for it.
    await broker.waitFor({ type: 'disconnect', clientId: 'mortal', clean: true });
    await watcher.publish('will/marker', 'marker', { qos: 1 });
    await expect.poll(() => wills).toEqual(['gone', 'marker']);
    await proxy.close();
  });

  it('detects a half-open link within 1.5 × keepalive and reconnects', async () => {
    const proxy = await faultProxy(broker.url);
    const c = open({
      clientId: 'halfopen',
      url: proxy.url,
      keepalive: 1,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200, connectTimeoutMs: 800 },
    });
    await waitForState(c, 'connected');
    proxy.blackhole();
    const started = Date.now();
    const down = await waitForState(c, 'reconnecting', 5000);
    const detectedAfter = Date.now() - started;
    expect(down.reason.code).toBe('KEEPALIVE_TIMEOUT');
    // Timing goals live in benchmarks; this bound only catches a missing detection (MQTT.js alone needs 1.5 s).
    expect(detectedAfter).toBeLessThan(3000);
    proxy.pass();
    await waitForState(c, 'connected', 10_000);
    await expect.poll(() => broker.count('connect', { clientId: 'halfopen' })).toBeGreaterThanOrEqual(2);
    await proxy.close();
  });

  it('fetches credentials before every connect and reconnect', async () => {
    const calls: Array<{ attempt: number; refresh: boolean }> = [];
    const c = open({
      clientId: 'creds',
      credentials: async ({ attempt, refresh }) => {
        calls.push({ attempt, refresh });
        return { username: `user-${calls.length}`, password: 'pw' };
      },
      reconnect: { initialDelayMs: 20, jitter: 0 },
    });
    await waitForState(c, 'connected');
    await broker.stop();
    await waitForState(c, 'reconnecting');
    await broker.restart();
    await waitForState(c, 'connected');
    await expect
      .poll(() => broker.eventsFor('creds').filter((e) => e.type === 'connect').map((e) => e.username))
      .toEqual(['user-1', `user-${calls.length}`]);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.every((x) => !x.refresh)).toBe(true);
  });

  it('an auth refusal refreshes credentials once, then stops at auth-failed', async () => {
    await broker.close();
    broker = await startBroker({ authenticate: ({ username }) => (username === 'good' ? true : 'bad-credentials') });
    const refreshFlags: boolean[] = [];
    // Retries run on virtual time: a minute of it passing after auth-failed starts no new attempt.
    const scheduler = new VirtualTimeScheduler();
    const c = open({
      clientId: 'auth',
      scheduler,
      credentials: ({ refresh }) => {
        refreshFlags.push(refresh);
        return { username: 'bad', password: 'x' };
      },
    });
    const failed = waitForState(c, 'auth-failed');
    await vi.waitFor(() => {
      advance(scheduler, 1000);
      expect(c.state.value.status).toBe('auth-failed');
    });
    expect((await failed).error.code).toBe('AUTH_REFUSED');
    advance(scheduler, 60_000);
    expect(c.state.value.status).toBe('auth-failed');
    expect(refreshFlags).toEqual([false, true]);
    expect(broker.count('connack-refused', { clientId: 'auth' })).toBe(2);
  });

  it('an auth refusal followed by a good refreshed token connects', async () => {
    await broker.close();
    broker = await startBroker({ authenticate: ({ password }) => password?.toString() === 'fresh' || 'bad-credentials' });
    const c = open({
      clientId: 'auth2',
      credentials: ({ refresh }) => ({ username: 'u', password: refresh ? 'fresh' : 'stale' }),
    });
    await waitForState(c, 'connected');
    expect(broker.count('connack-refused', { clientId: 'auth2' })).toBe(1);
  });
});

describe('client-id takeover', () => {
  beforeEach(async () => {
    await broker.close();
    broker = await startBroker();
  });

  it('two connections with one client id stop kicking each other: one ends kicked, the other stays', async () => {
    // Reconnect delays run on virtual time, driven until one side gives up; then a minute of it
    // passing starts no new attempt on either side.
    const scheduler = new VirtualTimeScheduler();
    const opts = { clientId: 'dup', scheduler, reconnect: { initialDelayMs: 20, maxDelayMs: 50, jitter: 0 } };
    const a = open(opts);
    advance(scheduler, 0);
    await waitForState(a, 'connected');
    const b = open(opts);
    await vi.waitFor(
      () => {
        advance(scheduler, 50);
        expect([a.state.value.status, b.state.value.status]).toContain('kicked');
      },
      { timeout: 15_000 },
    );
    const [kicked, survivor] = a.state.value.status === 'kicked' ? [a, b] : [b, a];
    expect((kicked.state.value as { error: { code: string } }).error.code).toBe('KICKED');
    await vi.waitFor(() => {
      advance(scheduler, 50);
      expect(survivor.state.value.status).toBe('connected');
    });
    advance(scheduler, 60_000);
    expect(kicked.state.value.status).toBe('kicked');
    expect(survivor.state.value.status).toBe('connected');
  });
});
