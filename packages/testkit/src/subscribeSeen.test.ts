import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { refuseSubscribe } from './refuseSubscribe';
import { startBroker, type EmbeddedBroker } from './startBroker';
import { subscribeSeen } from './subscribeSeen';
import { unsubscribeSeen } from './unsubscribeSeen';

let broker: EmbeddedBroker;
let client: MqttClient;

beforeAll(async () => {
  broker = await startBroker();
  client = await mqtt.connectAsync(broker.url, { clientId: 'seen', reconnectPeriod: 0 });
});
afterEach(() => broker.reset());
afterAll(async () => {
  await client.endAsync();
  await broker.close();
});

describe('subscribeSeen / unsubscribeSeen', () => {
  it('resolve with the SUBSCRIBE / UNSUBSCRIBE of that client and filter, past or future', async () => {
    await client.subscribeAsync(['a/1', 'a/2']);
    const sub = await subscribeSeen(broker, 'seen', 'a/2'); // already recorded
    expect(sub).toMatchObject({ type: 'subscribe', clientId: 'seen', filters: ['a/1', 'a/2'] });

    const unsub = unsubscribeSeen(broker, 'seen', 'a/1'); // not yet sent
    await client.unsubscribeAsync('a/1');
    await expect(unsub).resolves.toMatchObject({ type: 'unsubscribe', clientId: 'seen', filters: ['a/1'] });
  });

  it('ignore other clients and filters, giving up after 5 s', async () => {
    await client.subscribeAsync('b/1');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const waits = [subscribeSeen(broker, 'someone-else', 'b/1'), subscribeSeen(broker, 'seen', 'b/2'), unsubscribeSeen(broker, 'seen', 'b/1')];
      const settled = Promise.allSettled(waits);
      await vi.advanceTimersByTimeAsync(5000);
      expect((await settled).map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('refuseSubscribe', () => {
  it('refuses exactly that filter until restored', async () => {
    const restore = refuseSubscribe(broker, 'secret');
    try {
      // MQTT.js rejects a SUBACK holding a refusal; the broker's record says which filter it refused.
      await expect(client.subscribeAsync(['secret', 'open'])).rejects.toThrow();
      const refused = await subscribeSeen(broker, 'seen', 'secret');
      expect(refused.subscriptions).toEqual([
        { topic: 'secret', qos: 128 },
        { topic: 'open', qos: 0 },
      ]);
    } finally {
      restore();
    }
    const [again] = await client.subscribeAsync('secret');
    expect(again).toMatchObject({ topic: 'secret', qos: 0 });
  });
});
