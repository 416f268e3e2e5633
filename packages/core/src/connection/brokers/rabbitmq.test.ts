import { requireTool, startRabbitMQ } from '@coplay/testkit';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { waitForState } from '../testing';
import { connectionSuite, device } from './connectionSuite';
import type { Message } from '../types';

describe.skipIf(!requireTool('rabbitmq-server').available)('rabbitmq-server', () => {
  connectionSuite({
    name: 'RabbitMQ 3.10 MQTT plugin',
    broker: 'rabbitmq',
    start: () => startRabbitMQ(),
    extra: (get, open) => {
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

      it('answers MQTT 5 by closing the socket without a CONNACK: only the profile can make that a typed error', async () => {
        const blind = open(device('rmq-v5'), { broker: 'generic', protocolVersion: 5 });
        const s = await waitForState(blind, 'reconnecting', 20_000);
        expect(s.reason.code).toBe('CONNECT_FAILED');
        expect(() => open(device('rmq-v5-profile'), { protocolVersion: 5 })).toThrow(expect.objectContaining({ code: 'PROTOCOL_NOT_SUPPORTED' }));
      });


      it("treats '*' in a filter as a wildcard (raw client; the rabbitmq profile refuses it)", async () => {
        // coplay's own router would not match it either: 'suite/star/*' is a literal level to MQTT.
        const raw = await mqtt.connectAsync(get().url, { clientId: device('rabbitmq-star'), reconnectPeriod: 0 });
        try {
          const got: string[] = [];
          raw.on('message', (t) => got.push(t));
          await raw.subscribeAsync('suite/star/*', { qos: 1 });
          await expect.poll(async () => (await raw.publishAsync('suite/star/x', 'x', { qos: 1 }), got.includes('suite/star/x')), { timeout: 10_000 }).toBe(true);
        } finally {
          await raw.endAsync(true);
        }
        const strict = open(device('rabbitmq-star-strict'));
        expect(() => strict.topic('suite/star/*')).toThrow(expect.objectContaining({ code: 'INVALID_FILTER', details: expect.objectContaining({ broker: 'rabbitmq' }) }));
      });
    },
  });
});
