import { createConnection, jsonCodec, textCodec, type Connection, type CoplayError } from '@coplay/core';
import { startBroker, type EmbeddedBroker } from '@coplay/testkit';
import { createApp, effectScope, ref } from 'vue';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CoplayPlugin } from './CoplayPlugin';
import { brokerOptions, connectedConnection, eventually, subscribeSeen, unsubscribeSeen } from './testing';
import { usePublish } from './usePublish';
import { useQueueStats } from './useQueueStats';
import { useTopic } from './useTopic';
import { useTopicListener } from './useTopicListener';

let broker: EmbeddedBroker;
let pub: Connection;
const toClose: Connection[] = [];

beforeAll(async () => {
  broker = await startBroker({ ws: true });
  pub = await connectedConnection(broker, 'publisher');
});
afterEach(async () => {
  await Promise.all(toClose.splice(0).map((c) => c.close()));
  broker.reset();
});
afterAll(async () => {
  await pub.close();
  await broker.close();
});

async function shared(name: string): Promise<Connection> {
  const conn = await connectedConnection(broker, name);
  toClose.push(conn);
  return conn;
}

function inScope<T>(conn: Connection, fn: () => T) {
  const app = createApp({}).use(CoplayPlugin, { connection: conn });
  const scope = effectScope(true);
  const result = app.runWithContext(() => scope.run(fn)!);
  return { result, scope };
}

describe('useTopicListener (Vue)', () => {
  it('sees every message of a 1,000-message burst, complete and in order', async () => {
    const conn = await shared('burst');
    const received: string[] = [];
    const { result: last, scope } = inScope(conn, () => {
      useTopicListener('burst/t', (text) => received.push(text), { codec: textCodec });
      return useTopic('burst/t', { codec: textCodec });
    });
    await subscribeSeen(broker, conn.clientId, 'burst/t');
    const sent = Array.from({ length: 1000 }, (_, i) => `m${i}`);
    await Promise.all(sent.map((m) => pub.publish('burst/t', m)));
    await eventually(() => expect(received.length).toBe(1000), 10_000);
    expect(received).toEqual(sent);
    expect(last.value).toBe('m999');
    expect(broker.count('subscribe', { clientId: conn.clientId })).toBe(1);

    scope.stop();
    await unsubscribeSeen(broker, conn.clientId, 'burst/t');
  });

  it('follows a ref filter and reports undecodable messages', async () => {
    const conn = await shared('ref');
    const room = ref('a');
    const got: string[] = [];
    const drops: CoplayError[] = [];
    const { scope } = inScope(conn, () =>
      useTopicListener(() => `room/${room.value}`, (n: number, m) => got.push(`${m.topic}=${n}`), {
        codec: jsonCodec<number>(),
        onDrop: (e) => drops.push(e),
      }),
    );
    await subscribeSeen(broker, conn.clientId, 'room/a');
    await pub.publish('room/a', 'oops');
    await pub.publish('room/a', '1');
    await eventually(() => expect(got).toEqual(['room/a=1']));
    room.value = 'b';
    await subscribeSeen(broker, conn.clientId, 'room/b');
    await unsubscribeSeen(broker, conn.clientId, 'room/a');
    await pub.publish('room/a', '2');
    await pub.publish('room/b', '3');
    await eventually(() => expect(got).toEqual(['room/a=1', 'room/b=3']));
    expect(drops.map((e) => e.code)).toEqual(['DECODE_FAILED']);
    scope.stop();
    await unsubscribeSeen(broker, conn.clientId, 'room/b');
  });
});

describe('usePublish and useQueueStats (Vue)', () => {
  it('queues while offline (queue depth ref), then the broker receives the encoded message', async () => {
    const conn = createConnection(brokerOptions(broker, 'queued', { autoConnect: false }));
    toClose.push(conn);
    const { result } = inScope(conn, () => ({ publish: usePublish(jsonCodec<{ p1: number }>()), stats: useQueueStats() }));
    expect(result.stats.value.depth).toBe(0);
    const sent = result.publish('game/score', { p1: 7 });
    expect(result.stats.value.depth).toBe(1);
    conn.connect();
    await expect(sent).resolves.toBe(true);
    const event = await broker.waitFor({ type: 'publish', clientId: conn.clientId, topic: 'game/score' });
    expect(JSON.parse(event.payload!.toString())).toEqual({ p1: 7 });
    expect(result.stats.value).toMatchObject({ depth: 0, flushed: 1 });
    expect(() => result.publish('game/+', { p1: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_TOPIC' }));
  });
});
