import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEasemobBroker, type EasemobBroker } from './startEasemobBroker';

let easemob: EasemobBroker;
const clients: MqttClient[] = [];

async function post(path: string, body: unknown, auth?: string): Promise<{ body: { access_token: string } }> {
  const res = await fetch(`${easemob.apiUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { body: { access_token: string } };
}

/** Connects the way Easemob's token flow does: app token → user token → CONNECT(username, token, deviceId@appId). */
async function connect(deviceId: string): Promise<MqttClient> {
  const app = await post('/openapi/rm/app/token', { appClientId: easemob.appClientId, appClientSecret: easemob.appClientSecret });
  const cid = `${deviceId}@${easemob.appId}`;
  const user = await post('/openapi/rm/user/token', { username: deviceId, expires_in: 3600, cid }, app.body.access_token);
  const c = await mqtt.connectAsync(easemob.url, { clientId: cid, username: deviceId, password: user.body.access_token, reconnectPeriod: 0 });
  clients.push(c);
  return c;
}

function received(c: MqttClient): string[] {
  const got: string[] = [];
  c.on('message', (topic, payload) => got.push(`${topic}:${payload.length}`));
  return got;
}

beforeAll(async () => {
  easemob = await startEasemobBroker();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await easemob.close();
});

describe('startEasemobBroker', () => {
  it('drops, after PUBACK, a publish on a topic over 64 characters or with other characters, or over 65,535 bytes', async () => {
    const sub = await connect('sub-1');
    const pub = await connect('pub-1');
    const got = received(sub);
    await sub.subscribeAsync('t/#', { qos: 1 });
    const t64 = `t/${'a'.repeat(62)}`;
    await pub.publishAsync(`${t64}b`, 'x', { qos: 1 }); // 65 characters
    await pub.publishAsync('t/a.b', 'x', { qos: 1 });
    await pub.publishAsync('t/big', Buffer.alloc(65_536), { qos: 1 });
    await pub.publishAsync(t64, Buffer.alloc(65_535), { qos: 1 });
    await expect.poll(() => got).toEqual([`${t64}:65535`]);
    expect(easemob.dropped.map((d) => d.reason)).toEqual(['topic-too-long', 'topic-characters', 'payload-too-large']);
  });

  it('does not keep a dropped retained message', async () => {
    const pub = await connect('pub-2');
    await pub.publishAsync(`r/${'a'.repeat(63)}`, 'x', { qos: 1, retain: true });
    await pub.publishAsync('r/kept', 'y', { qos: 1, retain: true });
    const sub = await connect('sub-2');
    const got = received(sub);
    await sub.subscribeAsync('r/#', { qos: 1 });
    await expect.poll(() => got).toEqual(['r/kept:1']);
  });

  it('refuses a subscription the limits forbid with SUBACK failure', async () => {
    const c = await connect('sub-3');
    // MQTT.js reports a SUBACK with a failure code as an error carrying the packet.
    const err = await c.subscribeAsync(['ok/+/#', 'bad.topic/#', `x/${'a'.repeat(63)}`]).then(
      () => undefined,
      (e: { packet?: { granted?: number[] } }) => e,
    );
    expect(err?.packet?.granted).toEqual([0, 128, 128]);
  });

  it('accepts a 64-character client id of every allowed character, refuses 65 characters or others (CONNACK 2)', async () => {
    const all = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_';
    const device = `${all}`.slice(0, 64 - '@abc123'.length - 1) + '@';
    expect(`${device}@abc123`.length).toBe(64);
    await expect(connect(device)).resolves.toBeDefined();
    await expect(connect(`${device}x`)).rejects.toThrow(/identifier rejected/i);
    await expect(connect('dev.1')).rejects.toThrow(/identifier rejected/i);
  });

  it('refuses a CONNECT without a valid user token (CONNACK 4)', async () => {
    await expect(mqtt.connectAsync(easemob.url, { clientId: 'x@abc123', username: 'x', password: 'nope', reconnectPeriod: 0 })).rejects.toThrow(
      /bad user ?name or password/i,
    );
  });
});
