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
    },
  });
});
