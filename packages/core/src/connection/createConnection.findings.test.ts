import { faultProxy, freePort, startBroker, type EmbeddedBroker, type FaultProxy } from '@coplay/testkit';
import { VirtualTimeScheduler } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCoplayError } from '../errors/CoplayError';
import { createConnection } from './createConnection';
import { advance, waitForState, waitForStateWhere } from './testing';
import type { Connection, ConnectionOptions, ConnectionState, CredentialsRequest, Message } from './types';
import { MAX_PACKET_REMAINING_LENGTH } from './validatePublish';

// One test per finding of issue 9, each failing on the code before the fix. Real Aedes and a fault
// proxy for links; a virtual scheduler wherever timing matters, so nothing depends on the clock.

const text = (m: Message) => new TextDecoder().decode(m.payload);
/** Lets socket I/O and promise callbacks run; never a timing assertion. */
const settle = (ms = 30) => new Promise((r) => setTimeout(r, ms));

let broker: EmbeddedBroker;
let proxy: FaultProxy | undefined;
const conns: Connection[] = [];
const open = (opts: Partial<ConnectionOptions> & { clientId: string }) => {
  const c = createConnection({ url: broker.url, ...opts });
  conns.push(c);
  return c;
};
const DEAD = 'mqtt://127.0.0.1:1';

/** Tracks whether a promise has settled, without awaiting it. */
function track<T>(p: Promise<T>) {
  const t = { settled: false, value: undefined as T | undefined, error: undefined as unknown };
  p.then(
    (v) => Object.assign(t, { settled: true, value: v }),
    (e: unknown) => Object.assign(t, { settled: true, error: e }),
  );
  return t;
}

beforeEach(async () => {
  broker = await startBroker();
});
afterEach(async () => {
  await Promise.all(conns.splice(0).map((c) => c.close()));
  await proxy?.close();
  proxy = undefined;
  await broker.close();
});

describe('issue 9 findings', () => {
  it('1. QoS 1 messages in flight when the link drops go back to the queue in order, are re-sent after CONNACK, and settle', async () => {
    proxy = await faultProxy(broker.url);
    const received: string[] = [];
    const sub = open({ clientId: 'f1-sub' });
    sub.topic('f1/#', { qos: 1 }).subscribe((m) => received.push(text(m)));
    await broker.waitFor({ type: 'subscribe', clientId: 'f1-sub', filters: ['f1/#'] });
    const pub = createConnection({ url: proxy.url, clientId: 'f1-pub', reconnect: { initialDelayMs: 50, maxDelayMs: 100, jitter: 0 } });
    conns.push(pub);
    await waitForState(pub, 'connected');
    await expect(pub.publish('f1/t', 'a', { qos: 1 })).resolves.toBe(true);

    proxy.blackhole(); // written to the socket, never acknowledged
    const b = pub.publish('f1/t', 'b', { qos: 1 });
    const c = pub.publish('f1/t', 'c', { qos: 1 });
    proxy.cut(); // the link drops under them
    const d = pub.publish('f1/t', 'd', { qos: 1 }); // published after them: must arrive after them
    await expect(Promise.all([b, c, d])).resolves.toEqual([true, true, true]);
    await expect.poll(() => received).toEqual(['a', 'b', 'c', 'd']);
  });

  it('2. close() with QoS 1 in flight settles every promise within closeTimeoutMs and resolves, though the broker never answers', async () => {
    proxy = await faultProxy(broker.url);
    const scheduler = new VirtualTimeScheduler();
    const conn = createConnection({ url: proxy.url, clientId: 'f2', scheduler, closeTimeoutMs: 1000 });
    conns.push(conn);
    advance(scheduler, 0);
    await waitForState(conn, 'connected');
    await expect(conn.publish('f2/t', 'acked', { qos: 1 })).resolves.toBe(true);
    proxy.blackhole();
    const errors: string[] = [];
    conn.errors$.subscribe((e) => errors.push(e.code));
    const held = track(conn.publish('f2/t', 'held', { qos: 1 }));
    const closing = track(conn.close());
    await settle();
    advance(scheduler, 999);
    await settle();
    expect(held.settled).toBe(false); // still waiting for the acknowledgement
    expect(closing.settled).toBe(false);
    advance(scheduler, 1);
    await expect.poll(() => closing.settled).toBe(true);
    expect(held.settled).toBe(true);
    expect(isCoplayError(held.error, 'CLOSED')).toBe(true);
    expect(errors).toEqual(['CLOSED']);
  });

  it('3. ttlMs Infinity and TTLs ≥ 2^31 ms do not expire at once (per message and queue default)', async () => {
    const conn = open({ clientId: 'f3', autoConnect: false, queue: { ttlMs: 2 ** 31 + 5 } });
    const results = [
      conn.publish('f3/t', 'forever', { qos: 1, ttlMs: Infinity }),
      conn.publish('f3/t', 'long', { qos: 1, ttlMs: 2 ** 32 }),
      conn.publish('f3/t', 'default', { qos: 1 }),
    ];
    await settle(); // a clamped timer (1 ms) would have fired by now
    expect(conn.queue.value).toMatchObject({ depth: 3, expired: 0 });
    conn.connect();
    await expect(Promise.all(results)).resolves.toEqual([true, true, true]);
  });

  it('4. maxMessages: 0 and null options are handled, never a TypeError', async () => {
    const none = open({ clientId: 'f4a', url: DEAD, autoConnect: false, queue: { maxMessages: 0 } });
    await expect(none.publish('f4/t', 'x')).resolves.toBe(false);
    expect(none.queue.value).toMatchObject({ depth: 0, dropped: 1 });
    const strict = open({ clientId: 'f4b', url: DEAD, autoConnect: false, queue: { maxMessages: 0, overflow: 'error' } });
    await expect(strict.publish('f4/t', 'x')).rejects.toMatchObject({ name: 'CoplayError', code: 'QUEUE_FULL' });

    const conn = open({ clientId: 'f4c' });
    const got: string[] = [];
    expect(() => conn.topic('f4/#', null).subscribe((m) => got.push(text(m)))).not.toThrow();
    await broker.waitFor({ type: 'subscribe', clientId: 'f4c', filters: ['f4/#'] });
    await expect(conn.publish('f4/t', 'y', null)).resolves.toBe(true);
    await expect.poll(() => got).toEqual(['y']);
  });

  it("5. initialDelayMs 0 cannot storm (every delay ≥ 50 ms); 'abc' is INVALID_OPTIONS", async () => {
    expect(() => createConnection({ url: DEAD, autoConnect: false, reconnect: { initialDelayMs: 'abc' as unknown as number } })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
    const scheduler = new VirtualTimeScheduler();
    const conn = createConnection({
      url: `mqtt://127.0.0.1:${await freePort()}`,
      clientId: 'f5',
      scheduler,
      reconnect: { initialDelayMs: 0, multiplier: 1, jitter: 0 },
    });
    conns.push(conn);
    const delays: number[] = [];
    advance(scheduler, 0);
    for (let n = 2; n <= 8; n++) {
      const s = (await waitForStateWhere(conn, (x) => x.status === 'reconnecting' && x.attempt === n)) as Extract<ConnectionState, { status: 'reconnecting' }>;
      delays.push(s.delayMs);
      advance(scheduler, s.delayMs);
    }
    expect(delays).toEqual([50, 50, 50, 50, 50, 50, 50]);
  });

  it('6. the size check counts the packet header: a payload that fits alone but not with its topic is refused', async () => {
    const conn = open({ clientId: 'f6', url: DEAD, autoConnect: false });
    const payload = new Uint8Array(MAX_PACKET_REMAINING_LENGTH - 3); // + 2-byte topic length + 2-byte topic > limit
    await expect(conn.publish('f6', payload, { whenOffline: 'fail' })).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
  });

  it('7. topic() after close() fails with CLOSED instead of completing silently', async () => {
    const conn = open({ clientId: 'f7', url: DEAD, autoConnect: false });
    await conn.close();
    const outcome = await new Promise<string>((resolve) =>
      conn.topic('f7/#').subscribe({ error: (e: unknown) => resolve(isCoplayError(e) ? e.code : 'other'), complete: () => resolve('completed') }),
    );
    expect(outcome).toBe('CLOSED');
  });

  it('8. the credentials call after an auth refusal is attempt 2 (with refresh), not attempt 1 again', async () => {
    await broker.close();
    broker = await startBroker({ authenticate: ({ password }) => (password?.toString() === 'fresh' ? true : 'bad-credentials') });
    const asked: Array<Pick<CredentialsRequest, 'attempt' | 'refresh'>> = [];
    const conn = open({
      clientId: 'f8',
      credentials: ({ attempt, refresh }) => {
        asked.push({ attempt, refresh });
        return { username: 'u', password: refresh ? 'fresh' : 'stale' };
      },
    });
    await waitForState(conn, 'connected');
    expect(asked).toEqual([
      { attempt: 1, refresh: false },
      { attempt: 2, refresh: true },
    ]);
  });
});
