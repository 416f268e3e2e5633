import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { isDeepStrictEqual } from 'node:util';
import { Aedes, type AedesOptions, type AuthenticateError, type Client } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { BrokerListenError } from './BrokerListenError';

/** Kinds of things the embedded broker records. */
export type BrokerEventType = 'connect' | 'connack-refused' | 'subscribe' | 'unsubscribe' | 'publish' | 'disconnect';

/** A will message as announced in a CONNECT. */
export interface BrokerWill {
  topic: string;
  payload: Buffer;
  qos: number;
  retain: boolean;
}

/** One thing the broker saw, in arrival order. Fields beyond `type`/`clientId`/`at` depend on the type. */
export interface BrokerEvent {
  type: BrokerEventType;
  /** Client id; `'$broker'` for publishes injected through `aedes.publish` without a client. */
  clientId: string;
  /** `Date.now()` when recorded. */
  at: number;
  /** connect / connack-refused: the CONNECT username. */
  username?: string | undefined;
  /** subscribe / unsubscribe: the topic filters. */
  filters?: string[] | undefined;
  /** subscribe: each filter with the QoS granted (128 = refused). */
  subscriptions?: Array<{ topic: string; qos: number }>;
  /** publish: topic, payload, QoS and retain flag as received from the client. */
  topic?: string | undefined;
  payload?: Buffer | undefined;
  qos?: number | undefined;
  retain?: boolean | undefined;
  /**
   * connect: the clean-session flag. disconnect: true for a clean MQTT DISCONNECT, false when the
   * socket dropped (keepalive timeout, network cut, broker stop).
   */
  clean?: boolean | undefined;
  /** connect: the will announced in CONNECT, if any. */
  will?: BrokerWill | undefined;
  /** connect: requested keepalive in seconds. */
  keepalive?: number | undefined;
  /** connect / connack-refused: which listener the client came through. */
  transport?: 'tcp' | 'ws' | undefined;
  /** connack-refused: the CONNACK return code (4 bad credentials, 5 not authorized, ...). */
  returnCode?: number | undefined;
}

/** Matches events: a partial event (each given field must be equal; `payload` may be a string) or a predicate. */
export type BrokerEventMatch =
  | (Omit<Partial<BrokerEvent>, 'payload'> & { payload?: Buffer | Uint8Array | string })
  | ((event: BrokerEvent) => boolean);

/** Context handed to {@link StartBrokerOptions.authenticate}. */
export interface BrokerAuthContext {
  clientId: string;
  username?: string | undefined;
  password?: Buffer | undefined;
}

/**
 * `true` accepts; `false`/`'not-authorized'` → CONNACK 5; `'bad-credentials'` → CONNACK 4;
 * `'identifier-rejected'` → CONNACK 2.
 */
export type BrokerAuthResult = boolean | 'bad-credentials' | 'not-authorized' | 'identifier-rejected';

export interface StartBrokerOptions {
  /** Also listen for MQTT over WebSocket (any path) on a second port. */
  ws?: boolean | undefined;
  /**
   * With `ws: true`: one WebSocket message per MQTT packet, like mosquitto and EMQX. Aedes writes a
   * packet in 4–5 pieces (header, length, topic, payload) and `ws`'s stream sends each as a message,
   * so a browser page runs one task per piece and a busy page delays the packet between them.
   */
  wsWholePackets?: boolean | undefined;
  /** Decides each CONNECT. A throw/rejection refuses with CONNACK 3 (server unavailable). */
  authenticate?: ((ctx: BrokerAuthContext) => BrokerAuthResult | Promise<BrokerAuthResult>) | undefined;
  /**
   * Decides whether a client PUBLISH (or will) is delivered at all. `false` drops it silently: the
   * publisher still gets its PUBACK, no subscriber receives it and a retained one is not kept (the
   * way Easemob drops an over-long topic). The publish is still recorded.
   */
  accept?: (packet: { topic: string; payload: Buffer; qos: number; retain: boolean }) => boolean;
  /** Decides each subscription; `false` answers it with SUBACK failure (0x80). */
  authorizeSubscribe?: (clientId: string, subscription: { topic: string; qos: number }) => boolean;
  /** Address to bind; default `127.0.0.1`. Tests use loopback only. */
  host?: string | undefined;
  /** MQTT over TCP port; 0 or omitted = ephemeral. Either way the port is kept across stop/restart. */
  port?: number | undefined;
  /** With `ws: true`, the WebSocket port; 0 or omitted = ephemeral. Kept across stop/restart. */
  wsPort?: number | undefined;
  /**
   * Record events (default `true`). With `false` nothing is stored, so a long-running broker does not
   * grow: `events` stays empty and `eventsFor`/`count`/`waitFor` throw; `connectedClients()` still works.
   */
  record?: boolean | undefined;
}

/** An in-process Aedes broker on loopback that records what every client did. */
export interface EmbeddedBroker {
  /** `mqtt://HOST:PORT`; stays the same across stop/restart. */
  readonly url: string;
  /** `ws://HOST:WSPORT` when started with `ws: true`. */
  readonly wsUrl?: string | undefined;
  readonly port: number;
  readonly wsPort?: number | undefined;
  /** The current Aedes instance (a new one after each restart). */
  readonly aedes: Aedes;
  /** Whether listeners are up (false between stop() and restart(), and after close()). */
  readonly running: boolean;
  /** Every recorded event, oldest first ($SYS publishes excluded). Kept across restarts. Empty with `record: false`. */
  readonly events: readonly BrokerEvent[];
  /** Events of one client. Needs recording: throws with `record: false`. */
  eventsFor(clientId: string): BrokerEvent[];
  /** Number of events of `type`, optionally also matching `filter`. Needs recording: throws with `record: false`. */
  count(type: BrokerEventType, filter?: BrokerEventMatch): number;
  /**
   * Resolves with the first event matching, already recorded or future; rejects after `timeoutMs`.
   * Needs recording: rejects at once with `record: false`.
   */
  waitFor(match: BrokerEventMatch, timeoutMs?: number): Promise<BrokerEvent>;
  /** Ids of clients currently connected (CONNACK 0 sent, not yet disconnected). */
  connectedClients(): string[];
  /** Clears the event record (pending waitFor calls keep waiting). */
  reset(): void;
  /** Simulates an outage: closes listeners and destroys every client socket. Ports are kept. */
  stop(): Promise<void>;
  /**
   * A fresh Aedes instance (empty sessions and retained store) on the same port(s). Stops first if running.
   * Rejects with a {@link BrokerListenError} if a port was taken meanwhile (the broker then stays stopped).
   */
  restart(): Promise<void>;
  /** Final stop. */
  close(): Promise<void>;
}

interface ConnectMeta {
  clientId: string;
  username?: string | undefined;
  will?: BrokerWill | undefined;
  clean: boolean;
  keepalive: number;
  transport: 'tcp' | 'ws';
}

interface Waiter {
  match: BrokerEventMatch;
  resolve: (event: BrokerEvent) => void;
}

const CONNACK_TEXT: Record<number, string> = { 2: 'identifier rejected', 3: 'server unavailable', 4: 'bad username or password', 5: 'not authorized' };

function toBuffer(payload: Buffer | Uint8Array | string | undefined): Buffer {
  if (payload === undefined) return Buffer.alloc(0);
  return typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
}

/** True when `event` satisfies `match` (see {@link BrokerEventMatch}). */
export function matchesBrokerEvent(event: BrokerEvent, match: BrokerEventMatch): boolean {
  if (typeof match === 'function') return match(event);
  for (const [key, expected] of Object.entries(match)) {
    if (expected === undefined) continue;
    const actual = (event as unknown as Record<string, unknown>)[key];
    if (key === 'payload') {
      if (!actual || !toBuffer(expected as Buffer | string).equals(actual as Buffer)) return false;
    } else if (!isDeepStrictEqual(actual, expected)) {
      return false;
    }
  }
  return true;
}

function describeEvent(e: BrokerEvent): string {
  const extra = e.topic ?? e.filters?.join(',') ?? (e.returnCode !== undefined ? `rc=${e.returnCode}` : undefined);
  return `${e.type}(${e.clientId}${extra !== undefined ? ` ${extra}` : ''})`;
}

function describeMatch(match: BrokerEventMatch): string {
  if (typeof match === 'function') return match.name ? `predicate ${match.name}` : 'predicate';
  return JSON.stringify(match, (_k, v: unknown) =>
    v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' ? '<Buffer>' : v,
  );
}

/**
 * Listens on `port` (0 = ephemeral). With `retry` (a restart on our own port) it retries briefly while
 * the just-closed listener still holds it; a first start fails fast, as the port belongs to someone else.
 */
async function listen(
  server: NetServer | HttpServer,
  port: number,
  host: string,
  listener: 'tcp' | 'ws',
  retry: boolean,
): Promise<number> {
  const deadline = Date.now() + (retry ? 3000 : 0);
  for (;;) {
    try {
      await new Promise<void>((resolve, reject) => {
        // Both handlers go after one outcome, or retries pile up listeners on the server.
        const onError = (err: Error) => {
          server.off('listening', onListening);
          reject(err);
        };
        const onListening = () => {
          server.off('error', onError);
          resolve();
        };
        server.once('error', onError);
        server.once('listening', onListening);
        server.listen(port, host);
      });
      const address = server.address();
      if (!address || typeof address === 'string') throw new Error('startBroker: listener has no TCP address');
      return address.port;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EADDRINUSE' || Date.now() >= deadline) throw new BrokerListenError(listener, host, port, code, err);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function closeServer(server: NetServer | HttpServer): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}

/**
 * Starts an embedded Aedes broker on a loopback port (plus WebSocket with `ws: true`) that records
 * connects, refusals, (un)subscribes, publishes and disconnects per client (unless `record: false`).
 * Rejects with a {@link BrokerListenError} when a port cannot be bound.
 */
export async function startBroker(options: StartBrokerOptions = {}): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  const recording = options.record !== false;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const events: BrokerEvent[] = [];
  const waiters = new Set<Waiter>();
  const connected = new Set<string>();

  let aedes!: Aedes;
  let tcpServer: NetServer | undefined;
  let httpServer: HttpServer | undefined;
  let wss: WebSocketServer | undefined;
  const sockets = new Set<Socket>();
  let port = options.port ?? 0;
  let wsPort: number | undefined;
  let running = false;
  let started = false;
  let closed = false;

  function record(event: BrokerEvent): void {
    if (!recording) return;
    events.push(event);
    for (const waiter of [...waiters]) {
      if (matchesBrokerEvent(event, waiter.match)) {
        waiters.delete(waiter);
        waiter.resolve(event);
      }
    }
  }

  /** `wsStreams` marks connections that came through the WebSocket listener. */
  async function createAedes(wsStreams: WeakSet<object>): Promise<Aedes> {
    const meta = new WeakMap<Client, ConnectMeta>();
    // Refusals already recorded by our authenticate hook, so connackSent does not record them twice.
    const refusalRecorded = new WeakSet<Client>();

    // Every event is recorded before the broker answers (CONNACK, PUBACK, SUBACK, delivery), so a
    // client that has seen the answer can rely on the event being there.
    const connectBase = (client: Client) => {
      const m = meta.get(client);
      return {
        clientId: client.id ?? m?.clientId ?? '',
        at: Date.now(),
        ...(m?.username !== undefined ? { username: m.username } : {}),
        ...(m ? { transport: m.transport } : {}),
      };
    };
    const recordRefusal = (client: Client, returnCode: number) =>
      record({ type: 'connack-refused', ...connectBase(client), returnCode });

    const instance = await Aedes.createBroker({
      // Capture CONNECT details here: Aedes does not keep the username, and clears the will on close.
      preConnect(client, packet, callback) {
        const will = packet.will
          ? {
              topic: packet.will.topic,
              payload: toBuffer(packet.will.payload),
              qos: packet.will.qos ?? 0,
              retain: packet.will.retain ?? false,
            }
          : undefined;
        meta.set(client, {
          clientId: packet.clientId,
          username: packet.username,
          will,
          clean: packet.clean !== false,
          keepalive: packet.keepalive ?? 0,
          transport: wsStreams.has(client.conn) ? 'ws' : 'tcp',
        });
        callback(null, true);
      },
      authenticate(client, username, password, done) {
        const decide = options.authenticate;
        if (!decide) return done(null, true);
        const refuse = (returnCode: number, message?: string) => {
          const err = new Error(message ?? CONNACK_TEXT[returnCode]) as AuthenticateError;
          err.returnCode = returnCode;
          refusalRecorded.add(client);
          recordRefusal(client, returnCode);
          done(err, false);
        };
        Promise.resolve()
          .then(() => decide({ clientId: client.id, username: username ?? undefined, password: password ?? undefined }))
          .then(
            (result) => {
              if (result === true) done(null, true);
              else refuse(result === 'bad-credentials' ? 4 : result === 'identifier-rejected' ? 2 : 5);
            },
            (err: unknown) => refuse(3, `authenticate threw: ${err instanceof Error ? err.message : String(err)}`),
          );
      },
      // Client publishes (and wills) pass here on arrival, before PUBACK and delivery.
      authorizePublish(client, packet, callback) {
        // `recording` checked first: copying every payload is the hot path of a long-running broker.
        if (recording && client && !packet.topic.startsWith('$SYS/')) {
          record({
            type: 'publish',
            clientId: client.id,
            at: Date.now(),
            topic: packet.topic,
            payload: toBuffer(packet.payload),
            qos: packet.qos ?? 0,
            retain: packet.retain ?? false,
          });
        }
        if (options.accept && !options.accept({ topic: packet.topic, payload: toBuffer(packet.payload), qos: packet.qos ?? 0, retain: packet.retain ?? false })) {
          // Rerouted to a topic no filter can match ('#' and '+' never match a leading '$'), and not
          // retained: acknowledged, delivered to no one.
          packet.topic = `$dropped/${packet.topic}`;
          packet.retain = false;
        }
        callback(null);
      },
      ...(options.authorizeSubscribe
        ? {
            authorizeSubscribe: ((client, sub, cb) => {
              cb(null, options.authorizeSubscribe!(client.id, { topic: sub.topic, qos: sub.qos }) ? sub : null);
            }) satisfies AedesOptions['authorizeSubscribe'],
          }
        : {}),
    });

    // Emitted on registration, just before the CONNACK is written.
    instance.on('client', (client) => {
      const m = meta.get(client);
      connected.add(client.id);
      record({
        type: 'connect',
        ...connectBase(client),
        clean: m?.clean ?? client.clean,
        keepalive: m?.keepalive ?? 0,
        ...(m?.will ? { will: m.will } : {}),
      });
    });
    // Refusals not decided by our authenticate hook (bad protocol version, identifier rejected, ...).
    instance.on('connackSent', (packet, client) => {
      if (packet.returnCode && !refusalRecorded.has(client)) recordRefusal(client, packet.returnCode);
    });
    instance.on('subscribe', (subscriptions, client) => {
      record({
        type: 'subscribe',
        clientId: client.id,
        at: Date.now(),
        filters: subscriptions.map((s) => s.topic),
        subscriptions: subscriptions.map((s) => ({ topic: s.topic, qos: s.qos })),
      });
    });
    instance.on('unsubscribe', (filters, client) => {
      record({ type: 'unsubscribe', clientId: client.id, at: Date.now(), filters: [...filters] });
    });
    // Only publishes injected through aedes.publish() have no client; client ones are recorded above.
    instance.on('publish', (packet, client) => {
      if (!recording || client || packet.topic.startsWith('$SYS/')) return;
      record({
        type: 'publish',
        clientId: '$broker',
        at: Date.now(),
        topic: packet.topic,
        payload: toBuffer(packet.payload),
        qos: packet.qos,
        retain: packet.retain,
      });
    });
    instance.on('clientDisconnect', (client) => {
      connected.delete(client.id);
      // Aedes sets _disconnected only when a DISCONNECT packet arrived.
      const clean = (client as Client & { _disconnected?: boolean })._disconnected === true;
      record({ type: 'disconnect', clientId: client.id, at: Date.now(), clean });
    });

    return instance;
  }

  async function start(): Promise<void> {
    const wsStreams = new WeakSet<object>();
    const instance = await createAedes(wsStreams);

    const tcp = createNetServer((socket) => {
      // Like production brokers (EMQX, VerneMQ), send small packets at once rather than Nagle-batch them.
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      instance.handle(socket);
    });
    let http: HttpServer | undefined;
    let wsServer: WebSocketServer | undefined;
    if (options.ws) {
      http = createHttpServer((_req, res) => {
        res.writeHead(426).end('MQTT over WebSocket only');
      });
      // No `path`: any URL path is accepted, like most hosted brokers' /mqtt endpoints.
      wsServer = new WebSocketServer({ server: http });
      // ws re-emits the http server's errors; unhandled, a taken port would crash the process
      // instead of rejecting through listen().
      wsServer.on('error', () => {});
      wsServer.on('connection', (socket, req) => {
        const stream: Duplex = createWebSocketStream(socket);
        // Aedes (mqtt-packet) corks the stream around each packet's pieces: with _writev they leave as one message.
        if (options.wsWholePackets) stream._writev = (chunks, done) => socket.send(Buffer.concat(chunks.map((c) => c.chunk as Buffer)), done);
        stream.on('error', () => {});
        wsStreams.add(stream);
        instance.handle(stream, req);
      });
    }

    try {
      port = await listen(tcp, port, host, 'tcp', started);
      if (http) wsPort = await listen(http, wsPort ?? options.wsPort ?? 0, host, 'ws', started);
    } catch (err) {
      // Leave nothing bound, so a failed start can be retried or abandoned.
      wsServer?.close();
      await Promise.all([closeServer(tcp), http ? closeServer(http) : undefined]);
      await new Promise<void>((r) => instance.close(() => r()));
      throw err;
    }
    aedes = instance;
    tcpServer = tcp;
    httpServer = http;
    wss = wsServer;
    started = true;
    running = true;
  }

  async function stop(): Promise<void> {
    if (!running) return;
    running = false;
    const instance = aedes;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (wss) for (const client of wss.clients) client.terminate();
    httpServer?.closeAllConnections();
    await Promise.all([
      tcpServer ? closeServer(tcpServer) : undefined,
      wss ? new Promise<void>((r) => wss!.close(() => r())) : undefined,
      httpServer ? closeServer(httpServer) : undefined,
    ]);
    await new Promise<void>((r) => instance.close(() => r()));
    // Anything Aedes did not report as disconnected is gone with the instance.
    connected.clear();
    tcpServer = undefined;
    httpServer = undefined;
    wss = undefined;
  }

  // Answers from an empty record would look like "nothing happened"; fail loudly instead.
  function assertRecording(method: string): void {
    if (!recording) throw new Error(`startBroker: ${method}() needs recorded events, but the broker was started with record: false`);
  }

  await start();

  const broker: EmbeddedBroker = {
    get url() {
      return `mqtt://${urlHost}:${port}`;
    },
    get wsUrl() {
      return wsPort !== undefined ? `ws://${urlHost}:${wsPort}` : undefined;
    },
    get port() {
      return port;
    },
    get wsPort() {
      return wsPort;
    },
    get aedes() {
      return aedes;
    },
    get running() {
      return running;
    },
    get events() {
      return events;
    },
    eventsFor(clientId) {
      assertRecording('eventsFor');
      return events.filter((e) => e.clientId === clientId);
    },
    count(type, filter) {
      assertRecording('count');
      return events.filter((e) => e.type === type && (!filter || matchesBrokerEvent(e, filter))).length;
    },
    waitFor(match, timeoutMs = 5000) {
      try {
        assertRecording('waitFor');
      } catch (err) {
        return Promise.reject(err);
      }
      const seen = events.find((e) => matchesBrokerEvent(e, match));
      if (seen) return Promise.resolve(seen);
      return new Promise<BrokerEvent>((resolve, reject) => {
        const waiter: Waiter = {
          match,
          resolve: (event) => {
            clearTimeout(timer);
            resolve(event);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const recent = events.slice(-20).map(describeEvent).join(', ') || 'none';
          reject(
            new Error(
              `broker.waitFor: no event matching ${describeMatch(match)} within ${timeoutMs} ms ` +
                `(${events.length} recorded; last: ${recent})`,
            ),
          );
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    connectedClients: () => [...connected],
    reset() {
      events.length = 0;
    },
    stop,
    async restart() {
      if (closed) throw new Error('startBroker: restart() after close()');
      await stop();
      await start();
    },
    async close() {
      closed = true;
      await stop();
    },
  };
  return broker;
}
