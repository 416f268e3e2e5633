import { requireTool, startRabbitMQ } from '@coplay/testkit';
import { describe, expect, it } from 'vitest';
import { waitForState } from '../testing';
import { connectionSuite, device } from './connectionSuite';
import type { Message } from '../types';

describe.skipIf(!requireTool('rabbitmq-server').available)('rabbitmq-server', () => {
  connectionSuite({
    name: 'RabbitMQ 3.10 MQTT plugin',
    broker: 'rabbitmq',
    start: () => startRabbitMQ(),
    extra: (_get, open) => {
      it("refuses a '.' in a topic: RabbitMQ would deliver x/a.b to x/a/b subscribers", async () => {
        const c = open(device('rmq-dot'));
        await waitForState(c, 'connected');
        await expect(c.publish('suite/a.b', 'x', { qos: 1 })).rejects.toMatchObject({ code: 'INVALID_TOPIC', details: { broker: 'rabbitmq' } });
        // The profile's reason, shown with coplay's own checks switched off (generic profile).
        const raw = open(device('rmq-raw'), { broker: 'generic' });
        const got: Message[] = [];
        raw.topic('suite/a/b', { qos: 1 }).subscribe((m) => got.push(m));
        await waitForState(raw, 'connected');
        await expect.poll(async () => (await raw.publish('suite/a.b', 'dot', { qos: 1 }), got.length > 0), { timeout: 10_000 }).toBe(true);
        expect(got[0]!.topic).not.toBe('suite/a.b');
      });
    },
  });
});
