import { requireTool, startNats } from '@coplay/testkit';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { waitForState } from '../testing';
import { connectionSuite, device } from './connectionSuite';

describe.skipIf(!requireTool('nats-server').available)('nats-server', () => {
  connectionSuite({
    name: 'NATS 2.9 MQTT',
    broker: 'nats',
    start: () => startNats(),
    extra: (get, open) => {
      it("refuses a '.' in a topic up front; without the profile NATS closes the link over it", async () => {
        const c = open(device('nats-dot'));
        await waitForState(c, 'connected');
        await expect(c.publish('suite/a.b', 'x', { qos: 1 })).rejects.toMatchObject({ code: 'INVALID_TOPIC', details: { broker: 'nats' } });
        expect(c.state.value.status).toBe('connected');
        const loose = open(device('nats-loose'), { broker: 'generic' });
        await waitForState(loose, 'connected');
        void loose.publish('suite/a.b', 'x', { qos: 1 }).catch(() => {});
        await waitForState(loose, 'reconnecting');
      });

      it('MQTT 5 without the profile: NATS refuses it and the connection ends with PROTOCOL_NOT_SUPPORTED; protocolFallback connects on 3.1.1', async () => {
        const refused = open(device('nats-v5'), { broker: 'generic', protocolVersion: 5 });
        const s = await waitForState(refused, 'closed');
        expect(s.error).toMatchObject({ code: 'PROTOCOL_NOT_SUPPORTED' });
        const fallback = open(device('nats-v5-fallback'), { broker: 'generic', protocolVersion: 5, protocolFallback: true });
        await waitForState(fallback, 'connected');
        expect(fallback.protocolVersion).toBe(4);
      });

      it('grants a QoS 2 subscription as QoS 1 (raw client; the profile refuses QoS 2 up front)', async () => {
        const raw = await mqtt.connectAsync(get().url, { clientId: device('nats-raw-q2'), reconnectPeriod: 0 });
        try {
          const granted = await raw.subscribeAsync('suite/q2', { qos: 2 });
          expect(granted.map((g) => g.qos)).toEqual([1]);
        } finally {
          await raw.endAsync(true);
        }
      });


      it("treats '*' in a filter as a wildcard (raw client; the nats profile refuses it)", async () => {
        // coplay's own router would not match it either: 'suite/star/*' is a literal level to MQTT.
        const raw = await mqtt.connectAsync(get().url, { clientId: device('nats-star'), reconnectPeriod: 0 });
        try {
          const got: string[] = [];
          raw.on('message', (t) => got.push(t));
          await raw.subscribeAsync('suite/star/*', { qos: 1 });
          await expect.poll(async () => (await raw.publishAsync('suite/star/x', 'x', { qos: 1 }), got.includes('suite/star/x')), { timeout: 10_000 }).toBe(true);
        } finally {
          await raw.endAsync(true);
        }
        const strict = open(device('nats-star-strict'));
        expect(() => strict.topic('suite/star/*')).toThrow(expect.objectContaining({ code: 'INVALID_FILTER', details: expect.objectContaining({ broker: 'nats' }) }));
      });
    },
  });
});
