import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from './requireTool';
import { startRabbitMQ, type RabbitMQInstance } from './startRabbitMQ';

const hasRabbit = requireTool('rabbitmq-server').available;

describe.skipIf(!hasRabbit)('startRabbitMQ', () => {
  let rabbit: RabbitMQInstance;
  beforeAll(async () => {
    rabbit = await startRabbitMQ({ ws: true });
  }, 90_000);
  afterAll(async () => {
    await rabbit?.close();
  }, 30_000);

  it('runs its own node with the MQTT plugin (TCP and WebSocket)', async () => {
    expect(rabbit.nodeName).toMatch(/^coplay-\d+@localhost$/);
    const sub = await mqtt.connectAsync(rabbit.wsUrl!, { reconnectPeriod: 0 });
    const pub = await mqtt.connectAsync(rabbit.url, { reconnectPeriod: 0 });
    const got = new Promise<string>((resolve) => sub.on('message', (_t, p) => resolve(p.toString())));
    await sub.subscribeAsync('a/+', { qos: 1 });
    await pub.publishAsync('a/b', 'hi', { qos: 1 });
    expect(await got).toBe('hi');
    await Promise.all([sub.endAsync(true), pub.endAsync(true)]);
  });
});
