import { startBroker, type EmbeddedBroker } from '@coplay/testkit';
import { afterEach, expect, it } from 'vitest';
import type { CoplayError } from '../errors/CoplayError';
import { createConnection } from './createConnection';
import { waitForState } from './testing';
import type { Connection } from './types';

// A poison message: a QoS 1 publish the broker answers by closing the link (NATS does so for a topic
// it cannot route). Re-sent after every reconnect, it would keep the connection dropping forever and
// hold up everything queued behind it. Aedes closes the link of an MQTT 3.1.1 client whose publish
// fails authorizePublish: the same behaviour, on a real socket.

let broker: EmbeddedBroker | undefined;
const conns: Connection[] = [];
afterEach(async () => {
  await Promise.all(conns.splice(0).map((c) => c.close()));
  await broker?.close();
  broker = undefined;
});

it('a QoS 1 message the broker answers by dropping the link is rejected after 3 drops in a row, and the queue moves on', async () => {
  broker = await startBroker({ record: false });
  const poisonTopic = 'poison/here';
  let poisonSeen = 0;
  const authorize = broker.aedes.authorizePublish.bind(broker.aedes);
  broker.aedes.authorizePublish = (client, packet, callback) => {
    if (packet.topic === poisonTopic) {
      poisonSeen++;
      return callback(new Error('cannot route'));
    }
    authorize(client, packet, callback);
  };
  const sub = createConnection({ url: broker.url, clientId: 'poison-sub' });
  conns.push(sub);
  const got: string[] = [];
  sub.topic('ok/#', { qos: 1 }).subscribe((m) => got.push(new TextDecoder().decode(m.payload)));
  await expect.poll(async () => (await sub.publish('ok/probe', 'probe', { qos: 1 }), got.includes('probe'))).toBe(true);

  const c = createConnection({ url: broker.url, clientId: 'poison-pub', reconnect: { initialDelayMs: 50, maxDelayMs: 100 } });
  conns.push(c);
  const errors: CoplayError[] = [];
  c.errors$.subscribe((e) => errors.push(e));
  await waitForState(c, 'connected');
  const poison = c.publish(poisonTopic, 'x', { qos: 1 });
  const after = [1, 2, 3].map((i) => c.publish('ok/after', String(i), { qos: 1 }));
  await expect(poison).rejects.toMatchObject({ code: 'PUBLISH_FAILED', details: { poison: true, drops: 3, topic: poisonTopic } });
  expect(poisonSeen).toBe(3);
  // The messages queued behind it are delivered, in order, and the link stays up.
  await expect(Promise.all(after)).resolves.toEqual([true, true, true]);
  await expect.poll(() => got.filter((g) => g !== 'probe')).toEqual(['1', '2', '3']);
  expect(c.state.value.status).toBe('connected');
  expect(c.queue.value.depth).toBe(0);
  expect(errors.some((e) => e.code === 'PUBLISH_FAILED' && (e.details as { poison?: boolean }).poison === true)).toBe(true);
});

it('a message whose sends end in two drops, then gets through, is delivered, not taken for poison', async () => {
  broker = await startBroker({ record: false });
  let refusals = 2;
  const authorize = broker.aedes.authorizePublish.bind(broker.aedes);
  broker.aedes.authorizePublish = (client, packet, callback) => {
    if (packet.topic === 'flaky/once' && refusals > 0) {
      refusals--;
      return callback(new Error('not now'));
    }
    authorize(client, packet, callback);
  };
  const c = createConnection({ url: broker.url, clientId: 'drops-pub', reconnect: { initialDelayMs: 50, maxDelayMs: 100 } });
  conns.push(c);
  await waitForState(c, 'connected');
  await expect(c.publish('flaky/once', 'x', { qos: 1 })).resolves.toBe(true);
  expect(refusals).toBe(0);
});
