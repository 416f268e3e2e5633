import type { Observable, SchedulerLike } from 'rxjs';
import type { CoplayError } from '../errors/CoplayError';
import type { Live } from '../store/Live';
import type { BrokerOption, BrokerProfile } from './brokerProfile';

/** Quality of service level, as in MQTT. */
export type QoS = 0 | 1 | 2;

/** What a credentials source hands the connection before a CONNECT. */
export interface Credentials {
  username?: string;
  password?: string | Uint8Array;
  /** Overrides `options.clientId` (e.g. a backend that assigns `deviceId@appId`). */
  clientId?: string;
}

/** Why the connection asks for credentials. */
export interface CredentialsRequest {
  /**
   * 1 for the first CONNECT after a working link (or after `connect()`), then one more for every
   * further CONNECT — a retry, a failover to the next URL, or the refresh after an auth refusal.
   */
  attempt: number;
  /**
   * `true` after the broker refused the previous credentials (CONNACK 4/5, or MQTT 5 0x86/0x87):
   * a cached token must be dropped and a fresh one fetched.
   */
  refresh: boolean;
  /** Aborted when the connection is closed while credentials are being fetched. */
  signal: AbortSignal;
}

/**
 * Called before every connect and reconnect, so expiring tokens are always fresh.
 * May return the credentials directly or a promise of them.
 */
export type CredentialsProvider = (request: CredentialsRequest) => Credentials | Promise<Credentials>;

/**
 * Backoff settings for reconnects: exponential, full jitter, capped. Every value is checked
 * (`INVALID_OPTIONS` when of the wrong type or out of range); delays from 0 to 50 ms are raised to
 * 50 ms, so no retry is ever sooner than that.
 */
export interface ReconnectOptions {
  /** First delay before a retry, 0 .. 1 day (below 50 ms: 50 ms). Default 500 ms. */
  initialDelayMs?: number;
  /** Cap for the delay, 0 .. 1 day (below 50 ms: 50 ms). Default 30 000 ms. */
  maxDelayMs?: number;
  /** Growth per attempt, 1..10. Default 2. */
  multiplier?: number;
  /**
   * 0..1: fraction of the delay that is randomised. 1 is full jitter (uniform in [0, delay]),
   * 0 is none. Default 1. A jittered delay is raised to 50 ms.
   */
  jitter?: number;
  /** Failed attempts in a row before giving up (state `closed`), an integer ≥ 1. Default Infinity. */
  maxAttempts?: number;
  /** A link that stayed up this long resets the backoff. Default 10 000 ms. */
  resetAfterMs?: number;
  /** Connect timeout for one attempt, 100 ms .. 5 min. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /**
   * Cap for the delay during the first `earlyPhaseMs` of an outage, so play resumes within about
   * this long after a broker comes back. 0 .. 1 day (below 50 ms: 50 ms). Default 1000 ms.
   */
  earlyMaxDelayMs?: number;
  /** How long an outage counts as "early" (see `earlyMaxDelayMs`); 0 turns it off. Default 20 000 ms. */
  earlyPhaseMs?: number;
  /**
   * This many links in a row closed by the broker without a reason within 1.5 s of CONNACK end in
   * `kicked` (a client-id kick loop). A refused attempt in between resets the count (a broker restart
   * is not a kick). Integer ≥ 2; `Infinity` turns the detection off (e.g. a broker restarted in a loop
   * in tests). Default 4.
   */
  kickLoopLinks?: number;
}

/** What happens to a message when the queue is full. */
export type OverflowPolicy = 'drop-oldest' | 'drop-newest' | 'error';

/** Bounds of the offline send queue. */
export interface QueueOptions {
  /** Integer 0..1 000 000; 0 keeps nothing (every offline message meets `overflow`). Default 1000. */
  maxMessages?: number;
  /** Integer 0..1 GiB. Default 1 MiB. */
  maxBytes?: number;
  /** Default TTL for queued messages (≥ 0, `Infinity` never expires); a message can set its own. Default 30 000 ms. */
  ttlMs?: number;
  /** Default 'drop-oldest'. */
  overflow?: OverflowPolicy;
}

/** A last-will message, published by the broker when the client drops without DISCONNECT. */
export interface WillMessage {
  topic: string;
  payload: string | Uint8Array;
  qos?: QoS;
  retain?: boolean;
}

/** Options of {@link createConnection}. */
export interface ConnectionOptions {
  /** `mqtt://`, `mqtts://`, `ws://` or `wss://`. A list is tried in order on each attempt (failover). */
  url: string | readonly string[];
  /** MQTT client id. Easemob expects `deviceId@appId`. A credentials source may override it. */
  clientId?: string;
  /** Credentials, fetched before EVERY connect. Static objects are accepted for convenience. */
  credentials?: CredentialsProvider | Credentials;
  /** 4 (MQTT 3.1.1, default) or 5. */
  protocolVersion?: 4 | 5;
  /**
   * With `protocolVersion: 5`: when the broker answers "unacceptable protocol version" (Aedes, NATS), connect
   * again at once with MQTT 3.1.1 and keep using it; also start on 3.1.1 when the broker profile has no MQTT 5.
   * Off by default: the refusal then ends the connection with `PROTOCOL_NOT_SUPPORTED` (state `closed`).
   */
  protocolFallback?: boolean;
  /**
   * The broker's limits: a built-in profile name (`'easemob'`, `'mosquitto'`, `'emqx'`, `'nats'`,
   * `'rabbitmq'`, `'aedes'`, `'generic'`), a custom profile, or `{ extends: 'mosquitto', name, ...overrides }`.
   * Topics, filters, payloads, QoS, retain, wills, the client id and `protocolVersion` are checked against it
   * before anything is sent. Default: `'easemob'` when every URL is on `*.mqtt.chat`, else `'generic'`.
   */
  broker?: BrokerOption;
  /** Keepalive in seconds. Default 30. A half-open link is detected within 1.5 × keepalive. */
  keepalive?: number;
  /**
   * Start a clean session (default true). With `false` and a stable `clientId`, the broker keeps the
   * subscriptions and the QoS 1/2 messages published for this client while it is away.
   */
  clean?: boolean;
  reconnect?: ReconnectOptions;
  queue?: QueueOptions;
  /** Last will; can also be changed later with {@link Connection.setWill}. */
  will?: WillMessage;
  /** Grace period before UNSUBSCRIBE once the last subscriber of a filter leaves. Default 250 ms. */
  unsubscribeGraceMs?: number;
  /**
   * How long `close()` waits for the acknowledgements of QoS 1/2 messages already sent (0..60 000 ms,
   * default 1000). Then the unacknowledged ones are rejected with `CLOSED` and the socket is destroyed.
   */
  closeTimeoutMs?: number;
  /** Connect right away (default) or wait for {@link Connection.connect}. */
  autoConnect?: boolean;
  /** Scheduler for every timer coplay owns (backoff, TTL, grace). Tests inject a virtual one. */
  scheduler?: SchedulerLike;
  /** Random source in [0, 1) for jitter. Tests inject a fixed one. */
  random?: () => number;
  /** Extra MQTT.js options, merged last (escape hatch; reconnectPeriod and queueQoSZero stay off). */
  mqttOptions?: Record<string, unknown>;
  /**
   * Over `ws:`/`wss:` in Node, send each MQTT packet as one WebSocket frame (default true). MQTT.js
   * alone writes a PUBLISH there as 5 frames; browsers already send one frame per packet.
   */
  wholePacketFrames?: boolean;
}

/** Connection lifecycle, as a discriminated union on `status`. */
export type ConnectionState =
  | { readonly status: 'idle' }
  | { readonly status: 'connecting'; readonly attempt: number; readonly server: string }
  | { readonly status: 'connected'; readonly server: string; readonly since: number }
  | {
      readonly status: 'reconnecting';
      readonly attempt: number;
      readonly delayMs: number;
      readonly reason: CoplayError;
    }
  /** The broker refused the credentials, also after one refresh. No further attempts. */
  | { readonly status: 'auth-failed'; readonly error: CoplayError }
  /** Another client took over this client id (MQTT 5 reason 0x8E, or a kick loop). No further attempts. */
  | { readonly status: 'kicked'; readonly error: CoplayError }
  | { readonly status: 'closed'; readonly error?: CoplayError };

/** Just the `status` of a {@link ConnectionState}. */
export type ConnectionStatus = ConnectionState['status'];

/** A received message. */
export interface Message {
  readonly topic: string;
  readonly payload: Uint8Array;
  readonly qos: QoS;
  readonly retain: boolean;
}

/** Options of {@link Connection.topic}. */
export interface TopicOptions {
  /** Subscription QoS. When two subscribers ask for different QoS the first one wins. Default 0. */
  qos?: QoS;
}

/** Options of {@link Connection.publish}. */
export interface PublishOptions {
  qos?: QoS;
  retain?: boolean;
  /** Offline behaviour: keep in the bounded queue (default), drop silently (resolves `false`), or reject with `OFFLINE`. */
  whenOffline?: 'queue' | 'drop' | 'fail';
  /** Override the queue TTL for this message. */
  ttlMs?: number;
  /** Keep only the newest queued message with this key (e.g. a controller state). */
  coalesceKey?: string;
}

/** Offline queue statistics; counters only grow. */
export interface QueueStats {
  /** Messages waiting. */
  readonly depth: number;
  /** Payload bytes waiting. */
  readonly bytes: number;
  /** Dropped by the overflow policy (drop-oldest or drop-newest). */
  readonly dropped: number;
  /** Expired before the link came back. */
  readonly expired: number;
  /** Replaced by a newer message with the same coalesceKey. */
  readonly coalesced: number;
  /** Sent from the queue after a reconnect. */
  readonly flushed: number;
}

/** An MQTT connection with reconnect, ref-counted subscriptions and an offline queue. */
export interface Connection {
  /** Lifecycle state: `state.value` now, `state.value$` replays it and every change. */
  readonly state: Live<ConnectionState>;
  /** Offline queue statistics: `queue.value` now, `queue.value$` replays it and every change. */
  readonly queue: Live<QueueStats>;
  /**
   * Errors that have nowhere else to go and do not end the connection: every link loss or failed
   * attempt (also shown in `state`), credential failures, and acknowledgements a `close()` gave up
   * waiting for. Hot: no replay. Completes on `close()`.
   */
  readonly errors$: Observable<CoplayError>;
  /** The client id in use (after a credentials source may have changed it). */
  readonly clientId: string;
  /** The broker profile everything is checked against (resolved from `options.broker` and the URL). */
  readonly broker: BrokerProfile;
  /** The MQTT version of the next (or current) CONNECT: 4 after a `protocolFallback`, else `options.protocolVersion`. */
  readonly protocolVersion: 4 | 5;
  /**
   * Messages for an MQTT filter (`+`, `#` wildcards). Cold and ref-counted: the first subscriber
   * sends SUBSCRIBE, later ones share it, the last one leaving sends UNSUBSCRIBE after a grace
   * period. Live filters are subscribed again after every reconnect.
   * Subscribing after `close()` fails with `CLOSED`.
   * @throws CoplayError `INVALID_FILTER` / `INVALID_OPTIONS` synchronously for a malformed filter or QoS.
   */
  topic(filter: string, options?: TopicOptions | null): Observable<Message>;
  /**
   * Publish. Resolves `true` once written (QoS 0) or acknowledged (QoS 1/2), `false` if dropped
   * by `whenOffline: 'drop'`, by overflow, coalescing or expiry. Never throws: bad input and every
   * other failure reject with a {@link CoplayError} (`INVALID_TOPIC`, `INVALID_PAYLOAD`,
   * `INVALID_OPTIONS`, `OFFLINE`, `QUEUE_FULL`, `CLOSED`, `PUBLISH_FAILED`).
   *
   * A QoS 1/2 message whose link drops before its acknowledgement goes back into the queue in its
   * original place and is sent again after the next CONNACK (at least once: the receiver may see it twice).
   */
  publish(topic: string, payload: string | Uint8Array, options?: PublishOptions | null): Promise<boolean>;
  /** Sets the last will used from the next CONNECT on. */
  setWill(will: WillMessage | undefined): void;
  /** Starts connecting (only needed with `autoConnect: false`, or to retry after `auth-failed`/`kicked`). */
  connect(): void;
  /** Drops the current link and reconnects now (fresh credentials, new will). */
  reconnect(): void;
  /**
   * Rejects queued publishes with `CLOSED`, waits up to `closeTimeoutMs` for the acknowledgements of
   * messages already sent (each then resolves `true`, or rejects with `CLOSED`), sends DISCONNECT,
   * and completes every observable. Always resolves, even if the broker never answers. Idempotent.
   */
  close(): Promise<void>;
}
