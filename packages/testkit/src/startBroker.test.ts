import mqtt, { type MqttClient, type IClientOptions } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { WebSocket } from 'ws';
import { BrokerListenError } from './BrokerListenError';
import { freePort } from './ports';
import { startBroker, type EmbeddedBroker } from './startBroker';

const clients: MqttClient[] = [];
const brokers: EmbeddedBroker[] = [];

async function connect(url: string, options: IClientOptions): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 3000, ...options });
  clients.push(client);
  return client;
}

async function broker(options?: Parameters<typeof startBroker>[0]): Promise<EmbeddedBroker> {
  const b = await startBroker(options);
  brokers.push(b);
  return b;
}

function nextMessage(client: MqttClient, topic: string): Promise<Buffer> {
  return new Promise((resolve) => {
    const onMessage = (t: string, payload: Buffer) => {
      if (t !== topic) return;
      client.off('message', onMessage);
      resolve(payload);
    };
    client.on('message', onMessage);
  });
}

/** A plain TCP listener holding a port, as another program would. */
async function squat(port = 0): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.once('close', () => resolve()));
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => {})));
  await Promise.all(brokers.splice(0).map((b) => b.close()));
});

describe('startBroker', () => {
  it('round-trips over TCP and records connect, subscribe, publish and clean/unclean disconnects', async () => {
    const b = await broker();
    expect(b.url).toBe(`mqtt://127.0.0.1:${b.port}`);
    expect(b.wsUrl).toBeUndefined();

    const sub = await connect(b.url, { clientId: 'sub-1', username: 'alice' });
    const pub = await connect(b.url, {
      clientId: 'pub-1',
      will: { topic: 'room/1/gone', payload: Buffer.from('bye'), qos: 1, retain: false },
    });
    await sub.subscribeAsync({ 'room/1/#': { qos: 1 } });
    const received = nextMessage(sub, 'room/1/input');
    await pub.publishAsync('room/1/input', 'hello', { qos: 1 });
    expect((await received).toString()).toBe('hello');

    const connectSub = await b.waitFor({ type: 'connect', clientId: 'sub-1' });
    expect(connectSub).toMatchObject({ username: 'alice', clean: true, transport: 'tcp' });
    expect(connectSub.will).toBeUndefined();
    expect((await b.waitFor({ type: 'connect', clientId: 'pub-1' })).will).toEqual({
      topic: 'room/1/gone',
      payload: Buffer.from('bye'),
      qos: 1,
      retain: false,
    });
    expect(b.eventsFor('sub-1').map((e) => e.type)).toEqual(['connect', 'subscribe']);
    expect(b.eventsFor('sub-1')[1]).toMatchObject({ filters: ['room/1/#'], subscriptions: [{ topic: 'room/1/#', qos: 1 }] });
    const publish = b.eventsFor('pub-1').find((e) => e.type === 'publish');
    expect(publish).toMatchObject({ topic: 'room/1/input', qos: 1, retain: false });
    expect(publish?.payload?.toString()).toBe('hello');
    expect(b.count('publish', { topic: 'room/1/input', payload: 'hello' })).toBe(1);
    expect(b.count('publish', { payload: 'other' })).toBe(0);
    expect(b.count('connect', (e) => e.clientId.endsWith('-1'))).toBe(2);
    expect(b.connectedClients().sort()).toEqual(['pub-1', 'sub-1']);

    // Broker-internal $SYS traffic is not recorded.
    expect(b.events.some((e) => e.topic?.startsWith('$SYS'))).toBe(false);

    await sub.unsubscribeAsync('room/1/#');
    expect(await b.waitFor({ type: 'unsubscribe', clientId: 'sub-1' })).toMatchObject({ filters: ['room/1/#'] });

    // Future event: a clean DISCONNECT ...
    const subGone = b.waitFor({ type: 'disconnect', clientId: 'sub-1' });
    await sub.endAsync();
    expect((await subGone).clean).toBe(true);
    // ... and a dropped socket, which also fires the will.
    pub.stream.destroy();
    expect((await b.waitFor({ type: 'disconnect', clientId: 'pub-1' })).clean).toBe(false);
    const will = await b.waitFor({ type: 'publish', topic: 'room/1/gone' });
    expect(will.payload?.toString()).toBe('bye');
    expect(b.connectedClients()).toEqual([]);

    b.reset();
    expect(b.events).toHaveLength(0);
  });

  it('serves MQTT over WebSocket on any path and records the transport', async () => {
    const b = await broker({ ws: true });
    expect(b.wsPort).toBeGreaterThan(0);
    expect(b.wsUrl).toBe(`ws://127.0.0.1:${b.wsPort}`);

    const wsClient = await connect(`${b.wsUrl}/mqtt`, { clientId: 'ws-1' });
    const tcpClient = await connect(b.url, { clientId: 'tcp-1' });
    const other = await connect(`${b.wsUrl}/some/other/path`, { clientId: 'ws-2' });
    await wsClient.subscribeAsync('a/b');
    const got = nextMessage(wsClient, 'a/b');
    await tcpClient.publishAsync('a/b', Buffer.from([1, 2, 3]));
    expect([...(await got)]).toEqual([1, 2, 3]);
    const got2 = nextMessage(wsClient, 'a/b');
    await other.publishAsync('a/b', 'from ws');
    expect((await got2).toString()).toBe('from ws');

    expect((await b.waitFor({ type: 'connect', clientId: 'ws-1' })).transport).toBe('ws');
    expect((await b.waitFor({ type: 'connect', clientId: 'tcp-1' })).transport).toBe('tcp');
    expect(await b.waitFor({ type: 'publish', clientId: 'ws-2' })).toMatchObject({ topic: 'a/b', qos: 0 });
  });

  it('wsWholePackets: one WebSocket message per MQTT packet (Aedes alone writes a packet in pieces)', async () => {
    const frames = async (wsWholePackets: boolean) => {
      const b = await broker({ ws: true, wsWholePackets });
      const pub = await connect(b.url, { clientId: `pub-${wsWholePackets}` });
      await pub.publishAsync('w/t', 'retained payload', { qos: 1, retain: true });
      // A bare WebSocket client: CONNECT (3.1.1, client id "raw"), then SUBSCRIBE to w/t (packet id 1).
      const socket = new WebSocket(b.wsUrl!, ['mqtt']);
      const got: Buffer[] = [];
      socket.on('message', (data: Buffer) => got.push(data));
      await new Promise((r) => socket.once('open', r));
      socket.send(new Uint8Array([0x10, 15, 0, 4, 77, 81, 84, 84, 4, 2, 0, 60, 0, 3, 114, 97, 119]));
      socket.send(new Uint8Array([0x82, 8, 0, 1, 0, 3, 119, 47, 116, 0]));
      const bytes = () => got.reduce((n, f) => n + f.length, 0);
      // CONNACK 4 + SUBACK 5 + PUBLISH (2 + 2 + 3 + 16 payload) bytes
      await expect.poll(bytes, { timeout: 5000 }).toBe(4 + 5 + 23);
      socket.close();
      return got.length;
    };
    expect(await frames(true)).toBe(3);
    expect(await frames(false)).toBeGreaterThan(3);
  });

  it('records retained publishes and injected broker publishes', async () => {
    const b = await broker();
    const pub = await connect(b.url, { clientId: 'retainer' });
    await pub.publishAsync('state/x', 'kept', { qos: 1, retain: true });
    expect(await b.waitFor({ type: 'publish', clientId: 'retainer' })).toMatchObject({ retain: true, qos: 1 });
    await new Promise<void>((resolve, reject) =>
      b.aedes.publish({ cmd: 'publish', topic: 'inject/y', payload: Buffer.from('z'), qos: 0, retain: false, dup: false }, (e) =>
        e ? reject(e) : resolve(),
      ),
    );
    expect(await b.waitFor({ type: 'publish', topic: 'inject/y' })).toMatchObject({ clientId: '$broker' });
  });

  it('authenticates: accepts, refuses with codes 4 and 5, and records refusals', async () => {
    const seen: Array<{ clientId: string; username?: string | undefined; password?: string | undefined }> = [];
    const b = await broker({
      authenticate: async ({ clientId, username, password }) => {
        seen.push({ clientId, username, password: password?.toString() });
        if (username === 'boom') throw new Error('auth backend down');
        if (username === 'nobody') return false;
        if (username === 'guest') return 'not-authorized';
        return password?.toString() === 'secret' ? true : 'bad-credentials';
      },
    });

    await connect(b.url, { clientId: 'good', username: 'host', password: 'secret' });
    await expect(connect(b.url, { clientId: 'bad-pass', username: 'host', password: 'wrong' })).rejects.toMatchObject({
      code: 4,
    });
    await expect(connect(b.url, { clientId: 'no-1', username: 'nobody', password: 'x' })).rejects.toMatchObject({ code: 5 });
    await expect(connect(b.url, { clientId: 'no-2', username: 'guest', password: 'x' })).rejects.toMatchObject({ code: 5 });
    await expect(connect(b.url, { clientId: 'boom', username: 'boom', password: 'x' })).rejects.toMatchObject({ code: 3 });

    expect(seen[0]).toEqual({ clientId: 'good', username: 'host', password: 'secret' });
    expect(b.count('connect')).toBe(1);
    expect(await b.waitFor({ type: 'connack-refused', clientId: 'bad-pass' })).toMatchObject({
      returnCode: 4,
      username: 'host',
    });
    // Refusals are recorded before the CONNACK goes out, so no waiting is needed.
    expect(b.count('connack-refused', { clientId: 'no-1', returnCode: 5 })).toBe(1);
    expect(b.count('connack-refused', { clientId: 'no-2', returnCode: 5 })).toBe(1);
    expect(b.count('connack-refused', { clientId: 'boom', returnCode: 3 })).toBe(1);
    expect(b.count('connack-refused')).toBe(4);
    expect(b.connectedClients()).toEqual(['good']);
  });

  it('records refusals Aedes makes on its own (identifier rejected)', async () => {
    const b = await broker();
    const longId = 'x'.repeat(30); // MQTT 3.1 allows at most 23 characters
    await expect(
      connect(b.url, { clientId: longId, protocolVersion: 3, protocolId: 'MQIsdp' }),
    ).rejects.toMatchObject({ code: 2 });
    expect(await b.waitFor({ type: 'connack-refused' })).toMatchObject({ clientId: longId, returnCode: 2 });
    expect(b.count('connect')).toBe(0);
  });

  it('waitFor rejects with a descriptive error on timeout', async () => {
    const b = await broker();
    await connect(b.url, { clientId: 'only' });
    await expect(b.waitFor({ type: 'publish', topic: 'never' }, 200)).rejects.toThrow(
      /no event matching .*"never".* within 200 ms .*connect\(only\)/,
    );
  });

  it('stop() drops clients and refuses connects; restart() serves the same ports again', async () => {
    const b = await broker({ ws: true });
    const { port, wsPort, url } = b;
    const firstAedes = b.aedes;
    const client = await connect(url, { clientId: 'survivor' });
    const wsClient = await connect(b.wsUrl!, { clientId: 'ws-survivor' });
    const tcpClosed = closed(client);
    const wsClosed = closed(wsClient);

    await b.stop();
    await tcpClosed;
    await wsClosed;
    expect(b.running).toBe(false);
    expect(b.count('disconnect', { clientId: 'survivor', clean: false })).toBe(1);
    expect(b.connectedClients()).toEqual([]);
    await expect(connect(url, { clientId: 'late', connectTimeout: 1000 })).rejects.toThrow(/ECONNREFUSED/);

    // A client that keeps retrying gets back in once the broker returns.
    const retrying = mqtt.connect(url, { clientId: 'retrier', reconnectPeriod: 100, connectTimeout: 1000 });
    clients.push(retrying);
    retrying.on('error', () => {});

    await b.restart();
    expect(b.running).toBe(true);
    expect(b.port).toBe(port);
    expect(b.wsPort).toBe(wsPort);
    expect(b.aedes).not.toBe(firstAedes);
    await connect(url, { clientId: 'again' });
    await connect(b.wsUrl!, { clientId: 'ws-again' });
    await b.waitFor({ type: 'connect', clientId: 'retrier' }, 10_000);
    expect(b.connectedClients().sort()).toEqual(['again', 'retrier', 'ws-again']);
    // The record spans restarts.
    expect(b.count('connect', { clientId: 'survivor' })).toBe(1);
  });

  it('listens on fixed ports and keeps them across stop/restart', async () => {
    const [port, wsPort] = [await freePort(), await freePort()];
    const b = await broker({ ws: true, port, wsPort });
    expect([b.port, b.wsPort, b.url, b.wsUrl]).toEqual([port, wsPort, `mqtt://127.0.0.1:${port}`, `ws://127.0.0.1:${wsPort}`]);
    await connect(b.url, { clientId: 'tcp' });
    await connect(b.wsUrl!, { clientId: 'ws' });
    expect(b.connectedClients().sort()).toEqual(['tcp', 'ws']);

    await b.restart();
    expect([b.port, b.wsPort]).toEqual([port, wsPort]);
    await connect(`mqtt://127.0.0.1:${port}`, { clientId: 'tcp-again' });
    await connect(`ws://127.0.0.1:${wsPort}`, { clientId: 'ws-again' });
    expect(b.connectedClients().sort()).toEqual(['tcp-again', 'ws-again']);
  });

  it('rejects a taken port with BrokerListenError naming the listener, leaving nothing bound', async () => {
    const squatter = await squat();
    const taken = (squatter.address() as { port: number }).port;
    const port = await freePort();
    try {
      const err = await startBroker({ ws: true, port, wsPort: taken }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BrokerListenError);
      expect(err).toMatchObject({ listener: 'ws', host: '127.0.0.1', port: taken, code: 'EADDRINUSE' });
      expect((err as Error).message).toContain(`WebSocket on 127.0.0.1:${taken}`);

      // The TCP listener that did bind was released: the port can be taken again at once.
      (await squat(port)).close();
      await expect(startBroker({ port: taken })).rejects.toMatchObject({ listener: 'tcp', code: 'EADDRINUSE' });
    } finally {
      squatter.close();
    }
  });

  it('with record: false stores nothing over a long run, yet tracks connected clients', async () => {
    const b = await broker({ ws: true, record: false });
    const sub = await connect(b.url, { clientId: 'sub' });
    const pub = await connect(b.wsUrl!, { clientId: 'pub' });
    await sub.subscribeAsync({ 'room/1/#': { qos: 1 } });
    const total = 2000;
    let received = 0;
    const allReceived = new Promise<void>((resolve) =>
      sub.on('message', () => {
        if (++received === total) resolve();
      }),
    );
    for (let i = 0; i < total; i++) {
      void pub.publish('room/1/input', Buffer.from([i & 0xff, i >> 8]), { qos: (i % 2) as 0 | 1 });
    }
    b.aedes.publish({ cmd: 'publish', topic: 'room/1/state', payload: Buffer.from('x'), qos: 0, retain: false, dup: false }, () => {});
    await allReceived;
    await sub.unsubscribeAsync('room/1/#');

    expect(b.events).toEqual([]);
    expect(b.connectedClients().sort()).toEqual(['pub', 'sub']);
    await pub.endAsync();
    await expect.poll(() => b.connectedClients()).toEqual(['sub']);
    expect(b.events).toEqual([]);

    // Asking the record for answers fails loudly rather than answering "nothing happened".
    expect(() => b.count('publish')).toThrow(/count\(\) needs recorded events.*record: false/);
    expect(() => b.eventsFor('sub')).toThrow(/eventsFor\(\) needs recorded events/);
    await expect(b.waitFor({ type: 'connect' })).rejects.toThrow(/waitFor\(\) needs recorded events/);
  });

  it('with record: false still refuses through authenticate, recording nothing', async () => {
    const b = await broker({ record: false, authenticate: ({ username }) => username === 'ok' || 'bad-credentials' });
    await connect(b.url, { clientId: 'good', username: 'ok' });
    await expect(connect(b.url, { clientId: 'bad', username: 'no' })).rejects.toMatchObject({ code: 4 });
    expect(b.connectedClients()).toEqual(['good']);
    expect(b.events).toEqual([]);
  });
});
