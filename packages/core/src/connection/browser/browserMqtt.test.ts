import { requireTool, startBroker, startMosquitto, type EmbeddedBroker, type MosquittoInstance } from '@coplay/testkit';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import mqttPacket, { type Packet } from 'mqtt-packet';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import browserMqtt from './browserMqtt';

/**
 * The browser build's client (MQTT.js's own `MqttClient` over webSocketStream) against MQTT.js's
 * `mqtt.connect`, in the same scenario on a real broker: the packets each one sends (read off its real
 * socket) and what each one reports must be the same. Node has no browser WebSocket before v22, so both
 * get `ws`'s through MQTT.js's `createWebsocket` option; the browser itself runs this client in
 * tests/runtimes (Chromium) and the demo's production build.
 */

interface Wire {
  /** Every packet the client sent, in order, decoded. */
  packets: Packet[];
  /** How many packets each WebSocket message carried. */
  perMessage: number[];
  urls: string[];
}

function wiredSocket(wire: Wire, version: 4 | 5) {
  return (url: string, protocols: string[]) => {
    wire.urls.push(url);
    const socket = new WebSocket(url, protocols);
    const send = socket.send.bind(socket) as (data: unknown, cb?: (err?: Error) => void) => void;
    const parser = mqttPacket.parser({ protocolVersion: version });
    let inMessage = 0;
    parser.on('packet', (p: Packet) => {
      wire.packets.push(p);
      inMessage++;
    });
    (socket as unknown as { send: typeof send }).send = (data, cb) => {
      inMessage = 0;
      parser.parse(Buffer.from(data as Uint8Array));
      wire.perMessage.push(inMessage);
      send(data, cb);
    };
    return socket;
  };
}

type Connect = (url: string, options: IClientOptions) => MqttClient;
const clients: Record<string, Connect> = {
  'mqtt.connect (MQTT.js, Node transport)': (url, o) => mqtt.connect(url, o),
  'browserMqtt.connect (browser build)': (url, o) => browserMqtt.connect(url, o),
};

const once = <T extends unknown[]>(c: MqttClient, event: string) => new Promise<T>((resolve) => c.once(event as 'connect', (...args: unknown[]) => resolve(args as T)));

/** What a client saw and sent in the scenario, without what differs by design (ids, timing). */
async function scenario(connect: Connect, url: string, version: 4 | 5) {
  const wire: Wire = { packets: [], perMessage: [], urls: [] };
  const id = `bm-${version}-${Math.random().toString(36).slice(2, 8)}`;
  const client = connect(url, {
    clientId: id,
    protocolVersion: version,
    keepalive: 1,
    reconnectPeriod: 0,
    queueQoSZero: false,
    resubscribe: false,
    createWebsocket: wiredSocket(wire, version),
  });
  const seen: string[] = [];
  client.on('message', (topic, payload, packet) => seen.push(`message ${topic} ${payload.toString()} qos ${packet.qos}`));
  const [connack] = await once<[{ sessionPresent: boolean }]>(client, 'connect');
  seen.push(`connect sessionPresent=${connack.sessionPresent}`);
  await new Promise<void>((resolve, reject) => client.subscribe({ [`${id}/#`]: { qos: 1 } }, (err, granted) => (err ? reject(err) : (seen.push(`granted ${granted?.map((g) => g.qos).join()}`), resolve()))));
  const got = (n: number) => new Promise<void>((resolve) => { const check = () => (seen.filter((s) => s.startsWith('message')).length >= n ? resolve() : client.once('message', () => queueMicrotask(check))); check(); });
  await new Promise<void>((resolve, reject) => client.publish(`${id}/one`, 'x', { qos: 1 }, (err) => (err ? reject(err) : resolve())));
  await got(1);
  await new Promise<void>((resolve, reject) => client.publish(`${id}/two`, 'y', { qos: 0 }, (err) => (err ? reject(err) : resolve())));
  await got(2);
  // Idle: with keepalive 1 s MQTT.js pings after about a second and the broker answers.
  await once(client, 'packetreceive').then(function wait(args): unknown {
    return (args as [Packet])[0].cmd === 'pingresp' ? undefined : once(client, 'packetreceive').then(wait);
  });
  seen.push(`connected=${client.connected}`);
  const closed = once(client, 'close');
  await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
  await closed;
  seen.push('closed');
  const sent = wire.packets.map((p) => {
    const { cmd } = p;
    if (p.cmd === 'connect') return `${cmd} v${p.protocolVersion} clean=${p.clean} keepalive=${p.keepalive} id=${p.clientId === id}`;
    if (p.cmd === 'publish') return `${cmd} ${p.topic} ${p.payload.toString()} qos ${p.qos} retain=${p.retain}`;
    if (p.cmd === 'subscribe') return `${cmd} ${p.subscriptions.map((s) => `${s.topic}@${s.qos}`).join()}`;
    return cmd;
  });
  const anonymous = (line: string) => line.replaceAll(id, 'ID');
  return { seen: seen.map(anonymous), sent: sent.map(anonymous), wire };
}

async function sameAsMqttJs(url: string, version: 4 | 5) {
  const [reference, browser] = await Promise.all(Object.values(clients).map((connect) => scenario(connect, url, version)));
  expect(browser!.seen).toEqual(reference!.seen);
  expect(browser!.sent).toEqual(reference!.sent);
  expect(browser!.sent).toEqual([
    `connect v${version} clean=true keepalive=1 id=true`,
    'subscribe ID/#@1',
    'publish ID/one x qos 1 retain=false',
    'puback',
    'publish ID/two y qos 0 retain=false',
    'pingreq',
    'disconnect',
  ]);
  // One WebSocket message per MQTT packet (MQTT.js's Node transport sends a PUBLISH as 5).
  expect(browser!.wire.perMessage.every((n) => n === 1)).toBe(true);
  expect(reference!.wire.perMessage.filter((n) => n === 0).length).toBeGreaterThan(0);
}

const mosquitto = requireTool('mosquitto');

describe.skipIf(!mosquitto.available)('browserMqtt against mosquitto (MQTT 3.1.1 and 5)', () => {
  let broker: MosquittoInstance;
  beforeAll(async () => {
    broker = await startMosquitto({ ws: true });
  });
  afterAll(async () => {
    await broker?.close();
  });

  for (const version of [4, 5] as const) {
    it(`MQTT ${version === 4 ? '3.1.1' : '5'}: sends and reports what mqtt.connect does`, async () => {
      await sameAsMqttJs(broker.wsUrl!, version);
    });
  }
});

describe('browserMqtt (the browser build of MQTT.js: its client over webSocketStream)', () => {
  let broker: EmbeddedBroker;
  beforeEach(async () => {
    broker = await startBroker({ ws: true });
  });
  afterEach(async () => {
    await broker.close();
  });

  it('MQTT 3.1.1: sends and reports what mqtt.connect does (CONNECT, QoS 1 ack, QoS 0, keepalive ping, DISCONNECT)', async () => {
    await sameAsMqttJs(broker.wsUrl!, 4);
  });

  it('keeps a persistent session (clean: false) like mqtt.connect: a QoS 1 message sent while away arrives on return', async () => {
    for (const connect of Object.values(clients)) {
      const options = { clientId: `bm-persist-${Math.random().toString(36).slice(2, 8)}`, clean: false, reconnectPeriod: 0, createWebsocket: wiredSocket({ packets: [], perMessage: [], urls: [] }, 4) };
      const first = connect(broker.wsUrl!, options);
      await once(first, 'connect');
      await new Promise((resolve) => first.subscribe('away/#', { qos: 1 }, resolve));
      await new Promise<void>((resolve) => first.end(false, {}, () => resolve()));
      const other = connect(broker.wsUrl!, { clientId: `bm-other-${Math.random().toString(36).slice(2, 8)}`, reconnectPeriod: 0, createWebsocket: options.createWebsocket });
      await once(other, 'connect');
      await new Promise((resolve) => other.publish('away/x', 'kept', { qos: 1 }, resolve));
      await new Promise<void>((resolve) => other.end(false, {}, () => resolve()));
      const back = connect(broker.wsUrl!, options);
      const message = once<[string, Buffer]>(back, 'message');
      const [connack] = await once<[{ sessionPresent: boolean }]>(back, 'connect');
      expect(connack.sessionPresent).toBe(true);
      const [topic, payload] = await message;
      expect([topic, payload.toString()]).toEqual(['away/x', 'kept']);
      await new Promise<void>((resolve) => back.end(false, {}, () => resolve()));
    }
  });

  it('reports a socket the broker drops as one close and does not reconnect (reconnectPeriod 0)', async () => {
    const wire: Wire = { packets: [], perMessage: [], urls: [] };
    const client = browserMqtt.connect(broker.wsUrl!, { clientId: 'bm-drop', reconnectPeriod: 0, createWebsocket: wiredSocket(wire, 4) });
    await once(client, 'connect');
    let closes = 0;
    client.on('close', () => closes++);
    const closed = once(client, 'close');
    await broker.stop();
    await closed;
    await broker.restart();
    // A reconnect would open a second socket; MQTT.js's own is off, and so nothing comes after close.
    await new Promise((resolve) => setImmediate(resolve));
    expect(closes).toBe(1);
    expect(wire.urls).toHaveLength(1);
    expect(client.connected).toBe(false);
    client.end(true);
  });

  it("runs the keepalive on a timer passed as MQTT.js's timerVariant (the way back to worker timers)", async () => {
    const scheduled: number[] = [];
    const timers = new Map<number, ReturnType<typeof setInterval>>();
    const timer = {
      set: (fn: () => void, ms: number) => {
        scheduled.push(ms);
        timers.set(scheduled.length, setInterval(fn, ms));
        return scheduled.length;
      },
      clear: (id: number) => clearInterval(timers.get(id)),
    };
    const client = browserMqtt.connect(broker.wsUrl!, { clientId: 'bm-timer', keepalive: 10, reconnectPeriod: 0, timerVariant: timer, createWebsocket: wiredSocket({ packets: [], perMessage: [], urls: [] }, 4) });
    await once(client, 'connect');
    // MQTT.js checks every keepalive / 2.
    expect(scheduled).toContain(5000);
    await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
  });

  it('reads the URL as mqtt.connect does in a browser: user info, ?clientId=, mqtt: on ws:', async () => {
    const wire: Wire = { packets: [], perMessage: [], urls: [] };
    const port = broker.wsPort!;
    const client = browserMqtt.connect(`mqtt://alice:s3cret@127.0.0.1:${port}/ignored?clientId=from-url`, { clientId: 'from-options', reconnectPeriod: 0, createWebsocket: wiredSocket(wire, 4) });
    await once(client, 'connect');
    expect(wire.urls).toEqual([`ws://127.0.0.1:${port}/`]);
    const connect = wire.packets[0] as Packet & { clientId: string; username: string; password: Buffer };
    expect([connect.clientId, connect.username, connect.password.toString()]).toEqual(['from-url', 'alice', 's3cret']);
    await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
  });
});
