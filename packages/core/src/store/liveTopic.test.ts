import { startBroker, type EmbeddedBroker } from '@coplay/testkit';
import { firstValueFrom, filter as where } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jsonCodec } from '../codec/jsonCodec';
import { textCodec } from '../codec/textCodec';
import { createConnection } from '../connection/createConnection';
import type { Connection } from '../connection/types';
import { liveTopic } from './liveTopic';

let broker: EmbeddedBroker;
const open: Connection[] = [];
let n = 0;

beforeAll(async () => {
  broker = await startBroker();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  broker.reset();
});
afterAll(() => broker.close());

async function connected(name: string): Promise<Connection> {
  const conn = createConnection({ url: broker.url, clientId: `${name}-${++n}`, unsubscribeGraceMs: 20 });
  open.push(conn);
  await firstValueFrom(conn.state.value$.pipe(where((s) => s.status === 'connected')));
  return conn;
}

/** Resolves once the broker has seen `clientId` subscribe to `filter`. */
const subscribed = (clientId: string, filter: string) =>
  broker.waitFor((e) => e.type === 'subscribe' && e.clientId === clientId && e.filters!.includes(filter), 5000);

describe('liveTopic', () => {
  it('holds the latest decoded message, undefined before the first', async () => {
    const [conn, pub] = await Promise.all([connected('live'), connected('pub')]);
    const score = liveTopic(conn, 'game/score', { codec: jsonCodec<{ p1: number }>() });
    expect(score.value).toBeUndefined();
    const seen: Array<{ p1: number } | undefined> = [];
    const sub = score.value$.subscribe((v) => seen.push(v));
    await subscribed(conn.clientId, 'game/score');
    await pub.publish('game/score', '{"p1":1}');
    await pub.publish('game/score', '{"p1":2}');
    await firstValueFrom(score.value$.pipe(where((v) => v?.p1 === 2)));
    expect(seen).toEqual([undefined, { p1: 1 }, { p1: 2 }]);
    expect(score.value).toEqual({ p1: 2 });
    sub.unsubscribe();
  });

  it('skips and counts messages the codec cannot read, without erroring value$', async () => {
    const [conn, pub] = await Promise.all([connected('live'), connected('pub')]);
    const score = liveTopic(conn, 'game/score', { codec: jsonCodec<number>() });
    const errors: unknown[] = [];
    const sub = score.value$.subscribe({ error: (e) => errors.push(e) });
    await subscribed(conn.clientId, 'game/score');
    await pub.publish('game/score', '{not json');
    await pub.publish('game/score', new Uint8Array([0xff, 0xfe]));
    await pub.publish('game/score', '7');
    await firstValueFrom(score.value$.pipe(where((v) => v === 7)));
    expect(score.dropped).toBe(2);
    expect(score.lastError?.code).toBe('DECODE_FAILED');
    expect(errors).toEqual([]);
    sub.unsubscribe();
  });

  it('applies select with the message (topic of a wildcard match) and counts a throwing select as dropped', async () => {
    const [conn, pub] = await Promise.all([connected('live'), connected('pub')]);
    const last = liveTopic(conn, 'room/+/chat', {
      codec: textCodec,
      select: (text, message) => {
        if (text === 'boom') throw new Error('select failed');
        return `${message.topic.split('/')[1]}: ${text}`;
      },
    });
    const sub = last.value$.subscribe();
    await subscribed(conn.clientId, 'room/+/chat');
    await pub.publish('room/a/chat', 'boom');
    await pub.publish('room/b/chat', 'hi');
    await firstValueFrom(last.value$.pipe(where((v) => v !== undefined)));
    expect(last.value).toBe('b: hi');
    expect(last.dropped).toBe(1);
    expect(last.lastError?.code).toBe('DECODE_FAILED');
    sub.unsubscribe();
  });

  it('defaults to the raw payload bytes', async () => {
    const [conn, pub] = await Promise.all([connected('live'), connected('pub')]);
    const raw = liveTopic(conn, 'bin');
    const sub = raw.value$.subscribe();
    await subscribed(conn.clientId, 'bin');
    await pub.publish('bin', new Uint8Array([1, 2, 3]));
    const v = await firstValueFrom(raw.value$.pipe(where((x) => x !== undefined)));
    expect(v).toBeInstanceOf(Uint8Array);
    expect([...v]).toEqual([1, 2, 3]);
    sub.unsubscribe();
  });

  it('shares one MQTT subscription among subscribers and releases it after the last one leaves', async () => {
    const conn = await connected('live');
    const live = liveTopic(conn, 'shared/t', { codec: textCodec });
    const a = live.value$.subscribe();
    const b = live.value$.subscribe();
    const other = liveTopic(conn, 'shared/t', { codec: textCodec }).value$.subscribe();
    await subscribed(conn.clientId, 'shared/t');
    a.unsubscribe();
    b.unsubscribe();
    other.unsubscribe();
    await broker.waitFor({ type: 'unsubscribe', clientId: conn.clientId, filters: ['shared/t'] }, 5000);
    expect(broker.count('subscribe', { clientId: conn.clientId })).toBe(1);
    expect(broker.count('unsubscribe', { clientId: conn.clientId })).toBe(1);
  });

  it('keeps a retained value across a quick unsubscribe/resubscribe (StrictMode remount)', async () => {
    const pub = await connected('pub');
    await pub.publish('cfg/retained', 'v1', { qos: 1, retain: true });
    const conn = await connected('live');
    const cfg = liveTopic(conn, 'cfg/retained', { codec: textCodec });
    const first = cfg.value$.subscribe();
    await firstValueFrom(cfg.value$.pipe(where((v) => v === 'v1')));
    first.unsubscribe();
    // The connection's grace period keeps the MQTT subscription, so the broker does not resend
    // the retained message; the Live must still know it.
    const seen: Array<string | undefined> = [];
    const second = cfg.value$.subscribe((v) => seen.push(v));
    expect(seen).toEqual(['v1']);
    second.unsubscribe();
    expect(broker.count('subscribe', { clientId: conn.clientId })).toBe(1);
    await pub.publish('cfg/retained', '', { qos: 1, retain: true });
  });

  it('errors value$ with SUBSCRIBE_FAILED when the broker refuses the subscription', async () => {
    const aedes = broker.aedes as unknown as {
      authorizeSubscribe: (client: unknown, sub: { topic: string }, cb: (err: Error | null, sub: unknown) => void) => void;
    };
    const original = aedes.authorizeSubscribe;
    aedes.authorizeSubscribe = (client, sub, cb) => (sub.topic === 'secret' ? cb(null, null) : original.call(aedes, client, sub, cb));
    try {
      const conn = await connected('live');
      const secret = liveTopic(conn, 'secret');
      const error = await new Promise((resolve) => secret.value$.subscribe({ error: resolve }));
      expect(error).toMatchObject({ code: 'SUBSCRIBE_FAILED', details: { reasonCode: 128 } });
      // Other filters on the same connection are unaffected.
      const ok = liveTopic(conn, 'public', { codec: textCodec });
      const sub = ok.value$.subscribe();
      await subscribed(conn.clientId, 'public');
      const pub = await connected('pub');
      await pub.publish('public', 'fine');
      await firstValueFrom(ok.value$.pipe(where((v) => v === 'fine')));
      sub.unsubscribe();
    } finally {
      aedes.authorizeSubscribe = original;
    }
  });

  it('throws INVALID_FILTER synchronously for a malformed filter', () => {
    const conn = createConnection({ url: broker.url, autoConnect: false });
    open.push(conn);
    expect(() => liveTopic(conn, 'a/#/b')).toThrow(expect.objectContaining({ code: 'INVALID_FILTER' }));
  });
});
