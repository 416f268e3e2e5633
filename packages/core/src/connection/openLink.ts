import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { CoplayError } from '../errors/CoplayError';
import type { SubscribeSink } from './SubscriptionRegistry';
import type { Credentials, Message, QoS, WillMessage } from './types';
import { wantsWholePacketWebSocket, wholePacketWebSocket } from './wholePacketWebSocket';

/** CONNACK codes meaning "your credentials are wrong": 3.1.1 codes 4 and 5, MQTT 5 0x86 and 0x87. */
const AUTH_CODES_V4 = new Set([4, 5]);
const AUTH_CODES_V5 = new Set([0x86, 0x87]);
/**
 * CONNACK refusals no retry can cure: the broker does not speak this protocol version (3.1.1 code 1; MQTT 5
 * 0x84, or a 3.1.1-only broker answering an MQTT 5 CONNECT with code 1), or it rejects the client id
 * (3.1.1 code 2, MQTT 5 0x85).
 */
const PROTOCOL_CODES = new Set([1, 0x84]);
const CLIENT_ID_CODES = new Set([2, 0x85]);
/** MQTT 5 DISCONNECT reason: another client connected with this client id. */
const SESSION_TAKEN_OVER = 0x8e;

/** How a link ended, for the reconnect policy. */
export interface LinkDown {
  readonly reason: CoplayError;
  /** Scheduler time of CONNACK; `undefined` if the link never got there. */
  readonly connectedAt: number | undefined;
  /** The broker closed it without saying why (no DISCONNECT, no error). */
  readonly silent: boolean;
  /** MQTT 5 "session taken over". */
  readonly kicked: boolean;
}

/** What a link tells its owner. Called only while the link is current (not after `destroy()`). */
export interface LinkHandlers {
  connected(): void;
  message(message: Message): void;
  down(info: LinkDown): void;
}

/** Settings for one CONNECT. */
export interface LinkOptions {
  readonly server: string;
  readonly clientId: string;
  readonly version: 4 | 5;
  readonly keepalive: number;
  readonly clean: boolean;
  readonly connectTimeoutMs: number;
  readonly credentials: Credentials;
  readonly will: WillMessage | undefined;
  readonly mqttOptions: Record<string, unknown>;
  /** Over ws(s) in Node, one WebSocket frame per MQTT packet (see wholePacketWebSocket). */
  readonly wholePacketFrames: boolean;
  readonly now: () => number;
}

/** One MQTT.js client, from CONNECT to close: the only place coplay touches MQTT.js. */
export interface Link extends SubscribeSink {
  readonly connected: boolean;
  /** Writes a PUBLISH; `done(err)` once written (QoS 0) or acknowledged (QoS 1/2). */
  publish(topic: string, payload: string | Uint8Array, qos: QoS, retain: boolean, done: (err: Error | undefined) => void): void;
  /** Clean DISCONNECT once in-flight messages are acknowledged; `done` when the socket is closed. */
  end(done: () => void): void;
  /** Stops reporting and destroys the socket at once (no DISCONNECT: the broker publishes the will). */
  destroy(): void;
}

/** Turns an MQTT.js error into a CoplayError, recognising credential refusals. */
export function toCoplayError(err: unknown, version: 4 | 5): CoplayError {
  if (err instanceof CoplayError) return err;
  const e = err as { message?: string; code?: unknown } | undefined;
  const message = e?.message ?? String(err);
  const rc = typeof e?.code === 'number' ? e.code : undefined;
  if (rc !== undefined && (version === 5 ? AUTH_CODES_V5 : AUTH_CODES_V4).has(rc)) {
    return new CoplayError('AUTH_REFUSED', `broker refused the credentials: ${message}`, { cause: err, details: { reasonCode: rc } });
  }
  if (rc !== undefined && PROTOCOL_CODES.has(rc)) {
    return new CoplayError('PROTOCOL_NOT_SUPPORTED', `broker refused MQTT ${version === 5 ? '5' : '3.1.1'}: ${message}`, {
      cause: err,
      details: { reasonCode: rc, protocolVersion: version, permanent: true },
    });
  }
  if (rc !== undefined && CLIENT_ID_CODES.has(rc)) {
    return new CoplayError('INVALID_CLIENT_ID', `broker rejected the client id: ${message}`, { cause: err, details: { reasonCode: rc, permanent: true } });
  }
  if (/keepalive timeout/i.test(message)) {
    return new CoplayError('KEEPALIVE_TIMEOUT', 'no answer from the broker within 1.5 × keepalive (half-open link)', { cause: err });
  }
  if (rc !== undefined) {
    return new CoplayError('CONNECT_FAILED', message, { cause: err, details: { reasonCode: rc } });
  }
  return new CoplayError('CONNECTION_LOST', message, { cause: err, details: typeof e?.code === 'string' ? { errno: e.code } : undefined });
}

const IN_BROWSER = typeof window !== 'undefined' && typeof document !== 'undefined';

/** Stops listening to a client we are done with; a late socket error must not become an unhandled 'error' event. */
function detach(c: MqttClient): void {
  c.removeAllListeners();
  c.on('error', () => {});
}

/**
 * Opens one MQTT.js client with its own reconnect and QoS 0 queue off (coplay does both), and maps its
 * events to {@link LinkHandlers}: exactly one `down` per link unless it was destroyed first.
 */
export function openLink(options: LinkOptions, handlers: LinkHandlers): Link {
  const { version, credentials: creds, will } = options;
  const mqttOptions: IClientOptions = {
    clientId: options.clientId,
    protocolVersion: version,
    keepalive: options.keepalive,
    clean: options.clean,
    reconnectPeriod: 0,
    queueQoSZero: false,
    resubscribe: false,
    connectTimeout: options.connectTimeoutMs,
    ...(creds.username !== undefined ? { username: creds.username } : {}),
    ...(creds.password !== undefined ? { password: creds.password as string } : {}),
    ...(will ? { will: { topic: will.topic, payload: will.payload as string, qos: will.qos ?? 0, retain: will.retain ?? false } } : {}),
    // mqtt-packet otherwise fills a cache of 65,536 two-byte Buffers when the first packet (CONNECT) is
    // written: with a browser's Buffer polyfill, tens of ms of main thread and GC before a page can connect.
    ...(IN_BROWSER ? { writeCache: false } : {}),
    ...options.mqttOptions,
  };
  // Ours drive reconnects and queueing; MQTT.js's must stay off whatever mqttOptions says.
  mqttOptions.reconnectPeriod = 0;
  mqttOptions.queueQoSZero = false;
  mqttOptions.resubscribe = false;

  let live = true;
  let c: MqttClient | undefined;
  const down = (info: LinkDown) => {
    if (!live) return;
    live = false;
    if (c) detach(c);
    handlers.down(info);
  };
  try {
    c =
      options.wholePacketFrames && wantsWholePacketWebSocket(options.server)
        ? wholePacketWebSocket(options.server, mqttOptions)
        : mqtt.connect(options.server, mqttOptions);
  } catch (err) {
    const reason = toCoplayError(err, version);
    // Reported asynchronously, like every other failure, so the caller has its link before `down`.
    const link = deadLink();
    queueMicrotask(() => down({ reason, connectedAt: undefined, silent: false, kicked: false }));
    return link;
  }
  const client = c;
  let lastError: CoplayError | undefined;
  let connectedAt: number | undefined;
  let kicked = false;

  client.on('connect', () => {
    if (!live) return;
    // Input frames are tiny and latency-bound: Nagle's algorithm would hold them for up to one
    // delayed-ACK period (~40 ms on Linux). Only TCP sockets have this; others ignore it.
    (client.stream as { setNoDelay?: (on: boolean) => void } | undefined)?.setNoDelay?.(true);
    connectedAt = options.now();
    handlers.connected();
  });
  client.on('message', (topic, payload, packet) => {
    if (live) handlers.message({ topic, payload, qos: packet.qos, retain: packet.retain });
  });
  client.on('error', (err) => {
    lastError = toCoplayError(err, version);
  });
  client.on('disconnect', (packet) => {
    if (packet.reasonCode === SESSION_TAKEN_OVER) {
      kicked = true;
      lastError = new CoplayError('KICKED', `another client connected with client id ${options.clientId}`, { details: { reasonCode: packet.reasonCode } });
    } else {
      lastError = new CoplayError('CONNECTION_LOST', `broker sent DISCONNECT (reason ${packet.reasonCode ?? 0})`, { details: { reasonCode: packet.reasonCode } });
    }
  });
  client.on('close', () => {
    const wasUp = connectedAt !== undefined;
    let reason = lastError;
    if (!wasUp && reason?.code === 'CONNECTION_LOST') {
      reason = new CoplayError('CONNECT_FAILED', `could not connect to ${options.server}: ${reason.message}`, { cause: reason.cause, details: reason.details });
    }
    reason ??= new CoplayError(wasUp ? 'CONNECTION_LOST' : 'CONNECT_FAILED', wasUp ? `connection to ${options.server} lost` : `could not connect to ${options.server}`);
    down({ reason, connectedAt, silent: lastError === undefined, kicked });
  });

  // MQTT.js corks its stream while it writes a packet and uncorks on `process.nextTick`, which its
  // browser build runs as setTimeout(0): a packet would wait for a timer task, behind rendering on a
  // busy page. Called once a packet is complete: sends it now (still one frame).
  const sendNow = () => {
    if (IN_BROWSER) (client.stream as { uncork?: () => void } | undefined)?.uncork?.();
  };
  return {
    get connected() {
      return live && client.connected && !client.disconnecting && !(client.stream as { destroyed?: boolean } | undefined)?.destroyed;
    },
    publish(topic, payload, qos, retain, done) {
      client.publish(topic, payload as string, { qos, retain }, (err) => done(err ?? undefined));
      sendNow();
    },
    subscribe(list, done) {
      const map: Record<string, { qos: QoS }> = {};
      for (const e of list) map[e.filter] = { qos: e.qos };
      client.subscribe(map, (err, granted) => {
        // MQTT.js 5 reports a SUBACK holding failure codes as an error that carries the packet.
        const codes = (err as { packet?: { granted?: number[] } } | null)?.packet?.granted;
        if (err && !codes) return done(undefined);
        done(codes ?? list.map((_, i) => granted?.[i]?.qos));
      });
      sendNow(); // a page joining a room waits for this SUBACK (and the retained messages after it)
    },
    unsubscribe(filter) {
      if (live && client.connected) {
        client.unsubscribe(filter);
        sendNow();
      }
    },
    end(done) {
      live = false;
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        detach(client);
        done();
      };
      client.once('close', finish);
      client.end(false, {}, finish);
    },
    destroy() {
      live = false;
      detach(client);
      // end(true) does nothing once MQTT.js is already disconnecting; the stream always goes.
      client.end(true);
      (client.stream as { destroy?: () => void } | undefined)?.destroy?.();
    },
  };
}

function deadLink(): Link {
  return {
    connected: false,
    publish: (_t, _p, _q, _r, done) => done(new Error('not connected')),
    subscribe: (_l, done) => done(undefined),
    unsubscribe: () => {},
    end: (done) => done(),
    destroy: () => {},
  };
}
