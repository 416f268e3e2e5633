import { createConnection, jsonCodec, textCodec, type CoplayError } from '@coplay/core';
import { useBrokerFixture } from '@coplay/testkit/vitest';
import { ref } from 'vue';
import { describe, expect, it, vi } from 'vitest';
import { inScope } from './testing';
import { usePublish } from './usePublish';
import { useQueueStats } from './useQueueStats';
import { useTopic } from './useTopic';
import { useTopicListener } from './useTopicListener';

const fx = useBrokerFixture({ createConnection, publisher: true });

describe('useTopicListener (Vue)', () => {
  it('sees every message of a 1,000-message burst, complete and in order', async () => {
    const conn = await fx.connect('burst');
    const received: string[] = [];
    const { result: last, scope } = inScope(conn, () => {
      useTopicListener('burst/t', (text) => received.push(text), { codec: textCodec });
      return useTopic('burst/t', { codec: textCodec });
    });
    await fx.broker.waitFor({ type: 'subscribe', clientId: conn.clientId, filters: ['burst/t'] });
    const sent = Array.from({ length: 1000 }, (_, i) => `m${i}`);
    await Promise.all(sent.map((m) => fx.publisher.publish('burst/t', m)));
    await vi.waitFor(() => expect(received.length).toBe(1000), { timeout: 10_000 });
    expect(received).toEqual(sent);
    expect(last.value).toBe('m999');
    expect(fx.broker.count('subscribe', { clientId: conn.clientId })).toBe(1);

    scope.stop();
    await fx.broker.waitFor({ type: 'unsubscribe', clientId: conn.clientId, filters: ['burst/t'] });
  });

  it('follows a ref filter and reports undecodable messages', async () => {
    const conn = await fx.connect('ref');
    const room = ref('a');
    const got: string[] = [];
    const drops: CoplayError[] = [];
    const { scope } = inScope(conn, () =>
      useTopicListener(() => `room/${room.value}`, (n: number, m) => got.push(`${m.topic}=${n}`), {
        codec: jsonCodec<number>(),
        onDrop: (e) => drops.push(e),
      }),
    );
    await fx.broker.waitFor({ type: 'subscribe', clientId: conn.clientId, filters: ['room/a'] });
    await fx.publisher.publish('room/a', 'oops');
    await fx.publisher.publish('room/a', '1');
    await vi.waitFor(() => expect(got).toEqual(['room/a=1']));
    room.value = 'b';
    await fx.broker.waitFor({ type: 'subscribe', clientId: conn.clientId, filters: ['room/b'] });
    await fx.broker.waitFor({ type: 'unsubscribe', clientId: conn.clientId, filters: ['room/a'] });
    await fx.publisher.publish('room/a', '2');
    await fx.publisher.publish('room/b', '3');
    await vi.waitFor(() => expect(got).toEqual(['room/a=1', 'room/b=3']));
    expect(drops.map((e) => e.code)).toEqual(['DECODE_FAILED']);
    scope.stop();
    await fx.broker.waitFor({ type: 'unsubscribe', clientId: conn.clientId, filters: ['room/b'] });
  });
});

describe('usePublish and useQueueStats (Vue)', () => {
  it('queues while offline (queue depth ref), then the broker receives the encoded message', async () => {
    const conn = fx.track(createConnection(fx.options('queued', { autoConnect: false })));
    const { result } = inScope(conn, () => ({ publish: usePublish(jsonCodec<{ p1: number }>()), stats: useQueueStats() }));
    expect(result.stats.value.depth).toBe(0);
    const sent = result.publish('game/score', { p1: 7 });
    expect(result.stats.value.depth).toBe(1);
    conn.connect();
    await expect(sent).resolves.toBe(true);
    const event = await fx.broker.waitFor({ type: 'publish', clientId: conn.clientId, topic: 'game/score' });
    expect(JSON.parse(event.payload!.toString())).toEqual({ p1: 7 });
    expect(result.stats.value).toMatchObject({ depth: 0, flushed: 1 });
    await expect(result.publish('game/+', { p1: 1 })).rejects.toMatchObject({ code: 'INVALID_TOPIC' });
  });
});
