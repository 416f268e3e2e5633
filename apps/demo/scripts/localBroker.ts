import { BrokerListenError, startBroker, type StartBrokerOptions } from '@coplay/testkit';
import { PortInUseError } from './listen';

export interface LocalBrokerOptions {
  host: string;
  /** MQTT over TCP; 0 = any free port (kept across stop/start). */
  port: number;
  /** MQTT over WebSocket; 0 = any free port (kept across stop/start). */
  wsPort: number;
  authenticate?: StartBrokerOptions['authenticate'];
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
  /** Starts again on the same ports, with a fresh Aedes instance; does nothing while running. */
  start(): Promise<void>;
  /** Final stop. */
  close(): Promise<void>;
}

/** A port the broker cannot bind becomes the one-line error the dev script prints, naming the variable. */
function toPortInUse(err: unknown): unknown {
  if (!(err instanceof BrokerListenError) || (err.code !== 'EADDRINUSE' && err.code !== 'EACCES')) return err;
  return err.listener === 'ws'
    ? new PortInUseError(err.port, err.host, 'COPLAY_BROKER_WS_PORT', 'the MQTT broker (WebSocket)')
    : new PortInUseError(err.port, err.host, 'COPLAY_BROKER_PORT', 'the MQTT broker (TCP)');
}

/**
 * Starts the test kit's broker for the demo, on ports fixed from the environment and recording
 * nothing, so it can run for hours.
 */
export async function startLocalBroker(options: LocalBrokerOptions): Promise<LocalBroker> {
  const { host, port, wsPort, authenticate } = options;
  // One WebSocket message per MQTT packet, like a production broker: pages run one task per packet.
  const broker = await startBroker({ ws: true, wsWholePackets: true, host, port, wsPort, record: false, authenticate }).catch((err: unknown) => {
    throw toPortInUse(err);
  });
  return {
    get url() {
      return broker.url;
    },
    get wsUrl() {
      // Always set: started with ws: true.
      return broker.wsUrl ?? '';
    },
    get port() {
      return broker.port;
    },
    get wsPort() {
      return broker.wsPort ?? 0;
    },
    get running() {
      return broker.running;
    },
    get clients() {
      return broker.connectedClients().length;
    },
    stop: () => broker.stop(),
    async start() {
      if (broker.running) return;
      await broker.restart().catch((err: unknown) => {
        throw toPortInUse(err);
      });
    },
    close: () => broker.close(),
  };
}
