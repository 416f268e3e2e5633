import { requireTool, startNats } from '@coplay/testkit';
import { describe, expect, it } from 'vitest';
import { waitForState } from '../testing';
import { connectionSuite, device } from './connectionSuite';

describe.skipIf(!requireTool('nats-server').available)('nats-server', () => {
  connectionSuite({
    name: 'NATS 2.9 MQTT',
    broker: 'nats',
    start: () => startNats(),
    extra: (_get, open) => {
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
    },
  });
});
