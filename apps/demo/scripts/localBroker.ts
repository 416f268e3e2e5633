import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { Aedes, type AuthenticateError } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { closeServer, listen } from './listen';

/** Decides a CONNECT: `true` accepts, anything else refuses with "bad username or password". */
export type BrokerAuthenticate = (ctx: { clientId: string; username?: string; password?: Buffer }) =>
  | boolean
  | 'bad-credentials'
  | 'not-authorized'
  | Promise<boolean | 'bad-credentials' | 'not-authorized'>;

export interface LocalBrokerOptions {
  host: string;
  /** MQTT over TCP; 0 = any free port (kept across stop/start). */
  port: number;
  /** MQTT over WebSocket; 0 = any free port (kept across stop/start). */
  wsPort: number;
  authenticate?: BrokerAuthenticate;
}

/** The demo's embedded broker: Aedes on TCP and WebSocket, loopback by default. */
export interface LocalBroker {
  readonly url: string;
  readonly wsUrl: string;
  readonly port: number;
  readonly wsPort: number;
  readonly running: boolean;
  /** Clients currently connected. */
  readonly clients: number;
  /** An outage: closes both listeners and drops every client. Ports are kept for {@link start}. */
  stop(): Promise<void>;
  /** Starts again on the same ports, with a fresh Aedes instance. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts Aedes for the demo. Unlike the test kit's broker it records nothing, so it can run
 * for hours, and its ports can be fixed from the environment.
 */
export async function startLocalBroker(options: LocalBrokerOptions): Promise<LocalBroker> {
  const { host, authenticate } = options;
  let port = options.port;
  let wsPort = options.wsPort;
  let aedes: Aedes | undefined;
  let tcp: NetServer | undefined;
  let http: HttpServer | undefined;
  let wss: WebSocketServer | undefined;
  const sockets = new Set<Socket>();
  let running = false;

  async function start(): Promise<void> {
    if (running) return;
    const instance = await Aedes.createBroker({
      authenticate(client, username, password, done) {
        if (!authenticate) return done(null, true);
        Promise.resolve()
          .then(() => authenticate({ clientId: client.id, username: username ?? undefined, password: password ?? undefined }))
          .then(
            (ok) => {
              if (ok === true) return done(null, true);
              const err = new Error('refused') as AuthenticateError;
              err.returnCode = ok === 'not-authorized' || ok === false ? 5 : 4;
              done(err, false);
            },
            () => {
              const err = new Error('authenticate failed') as AuthenticateError;
              err.returnCode = 3;
              done(err, false);
            },
          );
      },
    });
    const tcpServer = createNetServer((socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      instance.handle(socket);
    });
    const httpServer = createHttpServer((_req, res) => res.writeHead(426).end('MQTT over WebSocket only'));
    const wsServer = new WebSocketServer({ server: httpServer });
    // ws re-emits the http server's errors; listen() already turns them into PortInUseError.
    wsServer.on('error', () => {});
    wsServer.on('connection', (socket, req) => {
      const stream = createWebSocketStream(socket);
      stream.on('error', () => {});
      instance.handle(stream, req);
    });
    try {
      port = await listen(tcpServer, port, host, 'COPLAY_BROKER_PORT', 'the MQTT broker (TCP)');
      wsPort = await listen(httpServer, wsPort, host, 'COPLAY_BROKER_WS_PORT', 'the MQTT broker (WebSocket)');
    } catch (err) {
      await Promise.all([closeServer(tcpServer), closeServer(httpServer)]);
      await new Promise<void>((r) => instance.close(() => r()));
      throw err;
    }
    aedes = instance;
    tcp = tcpServer;
    http = httpServer;
    wss = wsServer;
    running = true;
  }

  async function stop(): Promise<void> {
    if (!running) return;
    running = false;
    for (const s of sockets) s.destroy();
    sockets.clear();
    for (const c of wss?.clients ?? []) c.terminate();
    http?.closeAllConnections();
    await Promise.all([
      tcp && closeServer(tcp),
      wss && new Promise<void>((r) => wss!.close(() => r())),
      http && closeServer(http),
    ]);
    const instance = aedes;
    if (instance) await new Promise<void>((r) => instance.close(() => r()));
    aedes = tcp = http = wss = undefined;
  }

  await start();

  return {
    get url() {
      return `mqtt://${host}:${port}`;
    },
    get wsUrl() {
      return `ws://${host}:${wsPort}`;
    },
    get port() {
      return port;
    },
    get wsPort() {
      return wsPort;
    },
    get running() {
      return running;
    },
    get clients() {
      return aedes?.connectedClients ?? 0;
    },
    stop,
    start,
    close: stop,
  };
}
