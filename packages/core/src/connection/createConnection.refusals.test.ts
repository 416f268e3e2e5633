import { startBroker, type EmbeddedBroker } from '@coplay/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoplayError } from '../errors/CoplayError';
import { createConnection } from './createConnection';
import { waitForState } from './testing';
import type { Connection, ConnectionOptions } from './types';

let broker: EmbeddedBroker;
const conns: Connection[] = [];
const open = (opts: Partial<ConnectionOptions>) => {
  const c = createConnection({ url: broker.url, reconnect: { initialDelayMs: 10, maxDelayMs: 20 }, ...opts });
  conns.push(c);
  return c;
};
beforeAll(async () => {
  // Aedes speaks 3.1.1 only: an MQTT 5 CONNECT gets "unacceptable protocol version".
  broker = await startBroker({ authenticate: ({ clientId }) => (clientId.startsWith('bad.') ? 'identifier-rejected' : true) });
});
afterAll(async () => {
  await Promise.all(conns.splice(0).map((c) => c.close()));
  await broker.close();
});

describe('createConnection: refusals no retry can cure end the connection, typed', () => {
  it('"unacceptable protocol version" to MQTT 5 → closed with PROTOCOL_NOT_SUPPORTED after one CONNECT, reported on errors$', async () => {
    const errors: CoplayError[] = [];
    const c = open({ clientId: 'v5-refused', protocolVersion: 5 });
    c.errors$.subscribe((e) => errors.push(e));
    const s = await waitForState(c, 'closed');
    expect(s.error).toMatchObject({ code: 'PROTOCOL_NOT_SUPPORTED', details: { protocolVersion: 5, permanent: true } });
    expect(errors.map((e) => e.code)).toEqual(['PROTOCOL_NOT_SUPPORTED']);
    expect(broker.count('connack-refused', { clientId: 'v5-refused' })).toBe(1);
    await expect(c.publish('a', 'x')).rejects.toMatchObject({ code: 'OFFLINE' });
  });

  it('a rejected client id (CONNACK 2) → closed with INVALID_CLIENT_ID, no retry', async () => {
    const c = open({ clientId: 'bad.id' });
    const s = await waitForState(c, 'closed');
    expect(s.error).toMatchObject({ code: 'INVALID_CLIENT_ID', details: { reasonCode: 2 } });
    expect(broker.count('connack-refused', { clientId: 'bad.id' })).toBe(1);
  });

  it('protocolFallback: refused MQTT 5 → connects again at once with 3.1.1 and works', async () => {
    const c = open({ clientId: 'v5-fallback', protocolVersion: 5, protocolFallback: true });
    expect(c.protocolVersion).toBe(5);
    await waitForState(c, 'connected');
    expect(c.protocolVersion).toBe(4);
    expect(broker.count('connack-refused', { clientId: 'v5-fallback' })).toBe(1);
    const got: string[] = [];
    c.topic('fb/x', { qos: 1 }).subscribe((m) => got.push(m.topic));
    await broker.waitFor({ type: 'subscribe', clientId: 'v5-fallback' });
    await c.publish('fb/x', 'hi', { qos: 1 });
    await expect.poll(() => got).toEqual(['fb/x']);
  });

  it('protocolFallback with a profile that has no MQTT 5 starts on 3.1.1 (no refused CONNECT)', async () => {
    const c = open({ clientId: 'v5-profile', protocolVersion: 5, protocolFallback: true, broker: 'aedes' });
    expect(c.protocolVersion).toBe(4);
    await waitForState(c, 'connected');
    expect(broker.count('connack-refused', { clientId: 'v5-profile' })).toBe(0);
  });

  it('connect() after the refusal tries again (for a user who changed something)', async () => {
    const c = open({ clientId: 'v5-again', protocolVersion: 5 });
    await waitForState(c, 'closed');
    c.connect();
    await waitForState(c, 'connecting');
    await waitForState(c, 'closed');
    expect(broker.count('connack-refused', { clientId: 'v5-again' })).toBe(2);
  });
});
