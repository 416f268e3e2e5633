import { startBroker, type EmbeddedBroker } from '@coplay/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCoplayError } from '../errors/CoplayError';
import { BROKER_PROFILES } from './BROKER_PROFILES';
import { createConnection } from './createConnection';
import { waitForState } from './testing';
import type { Connection, ConnectionOptions } from './types';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return isCoplayError(e) ? e.code : `not a CoplayError: ${String(e)}`;
  }
  return 'no error';
}

let broker: EmbeddedBroker;
const conns: Connection[] = [];
const open = (opts: Partial<ConnectionOptions>) => {
  const c = createConnection({ url: broker.url, ...opts });
  conns.push(c);
  return c;
};
beforeAll(async () => {
  broker = await startBroker();
});
afterAll(async () => {
  await Promise.all(conns.splice(0).map((c) => c.close()));
  await broker.close();
});

describe('createConnection({ broker }): what the broker would drop is refused before anything is sent', () => {
  it('picks the easemob profile for *.mqtt.chat URLs, generic otherwise, and an explicit one over both', () => {
    const opts = { autoConnect: false } as const;
    expect(createConnection({ url: 'wss://abc123.cn1.mqtt.chat/mqtt', ...opts }).broker.name).toBe('easemob');
    expect(createConnection({ url: 'mqtt://127.0.0.1:1', ...opts }).broker).toBe(BROKER_PROFILES.generic);
    expect(createConnection({ url: 'wss://abc123.cn1.mqtt.chat/mqtt', broker: 'generic', ...opts }).broker.name).toBe('generic');
    expect(createConnection({ url: 'mqtt://127.0.0.1:1', broker: 'nats', ...opts }).broker.name).toBe('nats');
  });

  it('publish() rejects (never throws) a topic, payload, QoS or retain the profile forbids; the broker sees none of them', async () => {
    const c = open({ clientId: 'pub-refused', broker: { extends: 'easemob', name: 'easemob-no-retain', retain: false } });
    await waitForState(c, 'connected');
    const attempts: Array<[string, string | Uint8Array, object, string]> = [
      ['a'.repeat(65), 'x', {}, 'TOPIC_TOO_LONG'],
      ['coplay/r.1', 'x', {}, 'INVALID_TOPIC'],
      ['ok', new Uint8Array(65_536), {}, 'PAYLOAD_TOO_LARGE'],
      ['ok', 'x', { retain: true }, 'RETAIN_NOT_SUPPORTED'],
    ];
    for (const [topic, payload, options, code] of attempts) {
      let result: Promise<boolean> | undefined;
      expect(() => (result = c.publish(topic, payload, options))).not.toThrow();
      const err = await result!.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ code, details: { broker: 'easemob-no-retain' } });
    }
    await expect(c.publish('a'.repeat(64), new Uint8Array(65_535), { qos: 1 })).resolves.toBe(true);
    expect(broker.count('publish', { clientId: 'pub-refused' })).toBe(1);
  });

  it('QoS above the profile maximum is refused on publish and topic()', async () => {
    const c = open({ clientId: 'qos-refused', broker: 'nats', autoConnect: false });
    await expect(c.publish('a', 'x', { qos: 2 })).rejects.toMatchObject({ code: 'QOS_NOT_SUPPORTED', details: { limit: 1, actual: 2 } });
    expect(codeOf(() => c.topic('a/#', { qos: 2 }))).toBe('QOS_NOT_SUPPORTED');
    expect(codeOf(() => c.topic('a.b/#'))).toBe('INVALID_FILTER');
  });

  it('wills, client ids and protocol versions are checked when the connection is created', () => {
    const base = { url: 'mqtt://127.0.0.1:1', autoConnect: false } as const;
    expect(codeOf(() => createConnection({ ...base, broker: 'easemob', will: { topic: 'w'.repeat(65), payload: '' } }))).toBe('TOPIC_TOO_LONG');
    expect(codeOf(() => createConnection({ ...base, broker: 'easemob', clientId: 'dev.1@app' }))).toBe('INVALID_CLIENT_ID');
    expect(codeOf(() => createConnection({ ...base, broker: 'aedes', protocolVersion: 5 }))).toBe('PROTOCOL_NOT_SUPPORTED');
    const c = createConnection({ ...base, broker: 'easemob' });
    expect(codeOf(() => c.setWill({ topic: 'ok', payload: new Uint8Array(70_000) }))).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a client id from the credentials that the profile forbids ends the connection, typed, without a CONNECT', async () => {
    const c = open({ broker: 'easemob', credentials: () => ({ clientId: `${'d'.repeat(60)}@abc123` }) });
    const s = await waitForState(c, 'closed');
    expect(s.error).toMatchObject({ code: 'INVALID_CLIENT_ID', details: { broker: 'easemob', limit: 64, actual: 67 } });
    expect(broker.count('connect', { clientId: `${'d'.repeat(60)}@abc123` })).toBe(0);
  });

  it('a profile with cleanSubscriptionsAtQos0 subscribes at QoS 0 with a clean session, at the asked QoS without', async () => {
    const broker_ = { extends: 'aedes', name: 'nats-like', cleanSubscriptionsAtQos0: true } as const;
    const clean = open({ clientId: 'q0-clean', broker: broker_ });
    clean.topic('q0/a', { qos: 1 }).subscribe();
    const kept = open({ clientId: 'q0-kept', broker: broker_, clean: false });
    kept.topic('q0/b', { qos: 1 }).subscribe();
    expect((await broker.waitFor({ type: 'subscribe', clientId: 'q0-clean' })).subscriptions).toEqual([{ topic: 'q0/a', qos: 0 }]);
    expect((await broker.waitFor({ type: 'subscribe', clientId: 'q0-kept' })).subscriptions).toEqual([{ topic: 'q0/b', qos: 1 }]);
    expect(BROKER_PROFILES.nats.cleanSubscriptionsAtQos0).toBe(true);
  });
});
