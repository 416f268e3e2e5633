import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { requireTool } from './requireTool';
import { mosquittoPasswordLine, startMosquitto, type MosquittoInstance } from './startMosquitto';

const tool = requireTool('mosquitto');
const clients: MqttClient[] = [];
const brokers: MosquittoInstance[] = [];

async function connect(url: string, options: IClientOptions = {}): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 3000, ...options });
  clients.push(client);
  return client;
}

async function mosquitto(options?: Parameters<typeof startMosquitto>[0]): Promise<MosquittoInstance> {
  const m = await startMosquitto(options);
  brokers.push(m);
  return m;
}

function collect(client: MqttClient): Array<{ topic: string; payload: string }> {
  const got: Array<{ topic: string; payload: string }> = [];
  client.on('message', (topic, payload) => got.push({ topic, payload: payload.toString() }));
  return got;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => {})));
  await Promise.all(brokers.splice(0).map((b) => b.close()));
});

describe.skipIf(!tool.available)('startMosquitto', () => {
  it('keeps Nagle on the broker sockets with tcpNoDelay: false (Debian default) and still relays', async () => {
    const m = await mosquitto({ tcpNoDelay: false });
    expect(readFileSync(m.configPath, 'utf8')).toMatch(/^set_tcp_nodelay false$/m);
    const on = await mosquitto();
    expect(readFileSync(on.configPath, 'utf8')).toMatch(/^set_tcp_nodelay true$/m);
    const sub = await connect(m.url);
    const got = collect(sub);
    await sub.subscribeAsync('nagle/t');
    const pub = await connect(m.url);
    await pub.publishAsync('nagle/t', 'x', { qos: 1 });
    await expect.poll(() => got.map((g) => g.payload)).toEqual(['x']);
  });

  it('starts on its own port with TCP and WebSocket listeners and relays messages', async () => {
    const m = await mosquitto({ ws: true });
    expect(m.port).not.toBe(1883);
    expect(m.url).toBe(`mqtt://127.0.0.1:${m.port}`);
    expect(m.wsUrl).toBe(`ws://127.0.0.1:${m.wsPort}`);
    expect(m.pid).toEqual(expect.any(Number));
    expect(m.running).toBe(true);

    const sub = await connect(m.wsUrl!);
    const got = collect(sub);
    await sub.subscribeAsync('t/#', { qos: 1 });
    const pub = await connect(m.url);
    await pub.publishAsync('t/1', 'over tcp', { qos: 1 });
    await expect.poll(() => got.length === 1, { timeout: 5000 }).toBe(true);
    expect(got).toEqual([{ topic: 't/1', payload: 'over tcp' }]);
    expect(m.log()).toMatch(/mosquitto version .* running/);
  });

  it('kill() drops clients; restart() comes back on the same port with a new process', async () => {
    const m = await mosquitto();
    const firstPid = m.pid;
    const client = await connect(m.url);
    const closed = new Promise<void>((r) => client.once('close', () => r()));

    await m.kill();
    await closed;
    expect(m.running).toBe(false);
    expect(m.pid).toBeUndefined();
    await expect(connect(m.url, { connectTimeout: 1000 })).rejects.toThrow(/ECONNREFUSED/);

    await m.restart();
    expect(m.running).toBe(true);
    expect(m.pid).not.toBe(firstPid);
    const sub = await connect(m.url);
    const got = collect(sub);
    await sub.subscribeAsync('back');
    const pub = await connect(m.url);
    await pub.publishAsync('back', 'again', { qos: 1 });
    await expect.poll(() => got.length === 1, { timeout: 5000 }).toBe(true);

    await m.stop();
    expect(m.running).toBe(false);
    expect(m.log()).toMatch(/terminating/);
  });

  it('applies an ACL that denies a topic', async () => {
    const m = await mosquitto({ acl: 'topic readwrite open/#\n' });
    const sub = await connect(m.url);
    const got = collect(sub);
    // mosquitto 2 grants the subscription and enforces read access per message.
    await sub.subscribeAsync(['open/#', 'secret/#'], { qos: 1 });
    const pub = await connect(m.url);
    // Same publisher, so the broker handles these in order: once the marker is in, the secret was dropped.
    await pub.publishAsync('secret/x', 'hidden', { qos: 1 });
    await pub.publishAsync('open/marker', 'visible', { qos: 1 });
    await expect.poll(() => got.length >= 1, { timeout: 5000 }).toBe(true);
    expect(got).toEqual([{ topic: 'open/marker', payload: 'visible' }]);
  });

  it('checks users from a generated password file and refuses anonymous clients', async () => {
    const m = await mosquitto({ users: { alice: 's3cret', bob: 'hunter2' }, allowAnonymous: false });
    await connect(m.url, { username: 'alice', password: 's3cret' });
    await connect(m.url, { username: 'bob', password: 'hunter2' });
    await expect(connect(m.url, { username: 'alice', password: 'wrong' })).rejects.toMatchObject({ code: 5 });
    await expect(connect(m.url)).rejects.toMatchObject({ code: 5 });
  });

  it('accepts a password file in mosquitto format written without mosquitto_passwd', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coplay-pw-'));
    try {
      const file = join(dir, 'pw');
      writeFileSync(file, mosquittoPasswordLine('carol', 'pa:ss word') + '\n');
      const m = await mosquitto({ passwordFile: file, allowAnonymous: false });
      await connect(m.url, { username: 'carol', password: 'pa:ss word' });
      await expect(connect(m.url, { username: 'carol', password: 'pass word' })).rejects.toMatchObject({ code: 5 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects with mosquitto’s own message when the config is bad', async () => {
    await expect(startMosquitto({ extraConfig: 'no_such_option 1' })).rejects.toThrow(/no_such_option/);
  });
});
