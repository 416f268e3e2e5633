import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { asyncScheduler, BehaviorSubject, Observable, Subject, type SchedulerLike, type Subscription } from 'rxjs';
import { CoplayError } from '../errors/CoplayError';
import { backoffDelay, DEFAULT_RECONNECT, type ResolvedReconnectOptions } from './backoffDelay';
import { DEFAULT_QUEUE, SendQueue, type QueuedMessage, type ResolvedQueueOptions } from './SendQueue';
import { topicMatches } from './topicMatches';
import { brokerProfile, type BrokerProfile } from './brokerProfile';
import { brokerViolation } from './brokerViolation';
import type {
  Connection,
  ConnectionOptions,
  ConnectionState,
  Credentials,
  CredentialsProvider,
  Message,
  PublishOptions,
  QoS,
  QueueStats,
  TopicOptions,
  WillMessage,
} from './types';
import { validateFilter, validateTopic } from './validateTopic';
import { isUint8Array } from '../util/isUint8Array';

const PROTOCOLS = new Set(['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:', 'ssl:', 'tls:']);
const MAX_PAYLOAD = 268_435_455;
/** CONNACK codes meaning "your credentials are wrong": 3.1.1 codes 4 and 5, MQTT 5 0x86 and 0x87. */
const AUTH_CODES_V4 = new Set([4, 5]);
const AUTH_CODES_V5 = new Set([0x86, 0x87]);
/** MQTT 5 DISCONNECT reason: another client connected with this client id. */
const SESSION_TAKEN_OVER = 0x8e;
/** Links closed by the broker this soon after CONNACK, this many times in a row, look like a client-id kick loop. */
const KICK_WINDOW_MS = 1500;
const KICK_LOOP_COUNT = 4;

const encoder = new TextEncoder();

interface FilterEntry {
  readonly filter: string;
  readonly qos: QoS;
  readonly subject: Subject<Message>;
  refs: number;
  /** SUBSCRIBE sent on the current client. */
  subscribed: boolean;
  grace?: Subscription;
}

function validateOptions(options: ConnectionOptions): { urls: string[]; profile: BrokerProfile } {
  if (!options || typeof options !== 'object') throw new CoplayError('INVALID_OPTIONS', 'createConnection needs an options object');
  const urls = typeof options.url === 'string' ? [options.url] : Array.isArray(options.url) ? [...options.url] : [];
  if (urls.length === 0) throw new CoplayError('INVALID_URL', 'options.url must be a URL string or a non-empty list of them');
  for (const u of urls) {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch (cause) {
      throw new CoplayError('INVALID_URL', `not a valid URL: ${JSON.stringify(u)}`, { cause });
    }
    if (!PROTOCOLS.has(parsed.protocol)) {
      throw new CoplayError('INVALID_URL', `unsupported protocol ${parsed.protocol} in ${u}: use mqtt, mqtts, ws or wss`);
    }
    if (!parsed.hostname) throw new CoplayError('INVALID_URL', `URL has no host: ${u}`);
  }
  if (options.clientId !== undefined) {
    if (typeof options.clientId !== 'string' || encoder.encode(options.clientId).length > 65535) {
      throw new CoplayError('INVALID_OPTIONS', 'options.clientId must be a string of at most 65535 bytes');
    }
  }
  if (options.protocolVersion !== undefined && options.protocolVersion !== 4 && options.protocolVersion !== 5) {
    throw new CoplayError('INVALID_OPTIONS', `options.protocolVersion must be 4 or 5, got ${String(options.protocolVersion)}`);
  }
  if (options.keepalive !== undefined && !(Number.isInteger(options.keepalive) && options.keepalive >= 0 && options.keepalive <= 65535)) {
    throw new CoplayError('INVALID_OPTIONS', 'options.keepalive must be an integer number of seconds in 0..65535');
  }
  const nonNegative = (obj: object | undefined, where: string) => {
    for (const [k, v] of Object.entries(obj ?? {})) {
      if (typeof v === 'number' && !(v >= 0)) throw new CoplayError('INVALID_OPTIONS', `${where}.${k} must be a non-negative number`);
    }
  };
  nonNegative(options.reconnect, 'options.reconnect');
  nonNegative(options.queue, 'options.queue');
  const r = options.reconnect;
  if (r?.jitter !== undefined && r.jitter > 1) throw new CoplayError('INVALID_OPTIONS', 'options.reconnect.jitter must be in 0..1');
  if (r?.multiplier !== undefined && r.multiplier < 1) throw new CoplayError('INVALID_OPTIONS', 'options.reconnect.multiplier must be ≥ 1');
  const overflow = options.queue?.overflow;
  if (overflow !== undefined && !['drop-oldest', 'drop-newest', 'error'].includes(overflow)) {
    throw new CoplayError('INVALID_OPTIONS', `options.queue.overflow must be 'drop-oldest', 'drop-newest' or 'error'`);
  }
  const profile = brokerProfile(options.broker, urls);
  if (options.will) validateWill(options.will, profile);
  const brokerError =
    (options.clientId !== undefined ? brokerViolation(profile, { clientId: options.clientId }) : undefined) ??
    brokerViolation(profile, { protocolVersion: options.protocolVersion ?? 4 });
  if (brokerError) throw brokerError;
  const creds = options.credentials;
  if (creds !== undefined && typeof creds !== 'function' && typeof creds !== 'object') {
    throw new CoplayError('INVALID_OPTIONS', 'options.credentials must be a function or an object');
  }
  return { urls, profile };
}

function validateWill(will: WillMessage, profile: BrokerProfile): void {
  validateTopic(will.topic);
  validatePayload(will.payload);
  validateQos(will.qos);
  const e = brokerViolation(profile, { will });
  if (e) throw e;
}

function validatePayload(payload: unknown): asserts payload is string | Uint8Array {
  if (typeof payload !== 'string' && !isUint8Array(payload)) {
    throw new CoplayError('INVALID_PAYLOAD', `payload must be a string or a Uint8Array, got ${payload === null ? 'null' : typeof payload}`);
  }
}

function validateQos(qos: unknown): asserts qos is QoS | undefined {
  if (qos !== undefined && qos !== 0 && qos !== 1 && qos !== 2) {
    throw new CoplayError('INVALID_OPTIONS', `qos must be 0, 1 or 2, got ${String(qos)}`);
  }
}

function byteLength(payload: string | Uint8Array): number {
  return typeof payload === 'string' ? encoder.encode(payload).length : payload.byteLength;
}

function randomClientId(): string {
  return `coplay_${Math.random().toString(16).slice(2, 10)}`;
}

/** Turns an MQTT.js error into a CoplayError, recognising credential refusals. */
function toCoplayError(err: unknown, version: 4 | 5): CoplayError {
  if (err instanceof CoplayError) return err;
  const e = err as { message?: string; code?: unknown } | undefined;
  const message = e?.message ?? String(err);
  const rc = typeof e?.code === 'number' ? e.code : undefined;
  if (rc !== undefined && (version === 5 ? AUTH_CODES_V5 : AUTH_CODES_V4).has(rc)) {
    return new CoplayError('AUTH_REFUSED', `broker refused the credentials: ${message}`, { cause: err, details: { reasonCode: rc } });
  }
  if (/keepalive timeout/i.test(message)) {
    return new CoplayError('KEEPALIVE_TIMEOUT', 'no answer from the broker within 1.5 × keepalive (half-open link)', { cause: err });
  }
  if (rc !== undefined) {
    return new CoplayError('CONNECT_FAILED', message, { cause: err, details: { reasonCode: rc } });
  }
  return new CoplayError('CONNECTION_LOST', message, { cause: err, details: typeof e?.code === 'string' ? { errno: e.code } : undefined });
}

/**
 * Creates an MQTT connection that reconnects with jittered exponential backoff, fetches fresh
 * credentials before every CONNECT, ref-counts subscriptions, and queues publishes while offline
 * in a bounded, expiring, coalescing queue.
 *
 * @throws CoplayError synchronously (`INVALID_URL`, `INVALID_OPTIONS`, `INVALID_TOPIC`, ...) for bad options.
 * @example
 * const conn = createConnection({ url: 'wss://broker.example/mqtt', clientId: 'dev1@app', credentials })
 * conn.topic('coplay/room1/#').subscribe((m) => console.log(m.topic))
 * await conn.publish('coplay/room1/hello', 'hi', { qos: 1 })
 */
export function createConnection(options: ConnectionOptions): Connection {
  const { urls, profile } = validateOptions(options);
  const scheduler: SchedulerLike = options.scheduler ?? asyncScheduler;
  const random = options.random ?? Math.random;
  const version = options.protocolVersion ?? 4;
  const retry: ResolvedReconnectOptions = { ...DEFAULT_RECONNECT, ...stripUndefined(options.reconnect) };
  const queueOptions: ResolvedQueueOptions = { ...DEFAULT_QUEUE, ...stripUndefined(options.queue) };
  const graceMs = options.unsubscribeGraceMs ?? 250;
  const credentials: CredentialsProvider =
    typeof options.credentials === 'function'
      ? options.credentials
      : (() => {
          const fixed: Credentials = options.credentials ?? {};
          return () => fixed;
        })();

  const state$ = new BehaviorSubject<ConnectionState>({ status: 'idle' });
  const queue = new SendQueue(queueOptions, scheduler);
  const entries = new Map<string, FilterEntry>();

  let clientId = options.clientId ?? randomClientId();
  let will = options.will;
  let client: MqttClient | undefined;
  let closed = false;
  let closing: Promise<void> | undefined;
  /** Retries since the last stable link; drives the backoff delay. */
  let retries = 0;
  /** Attempts in a row that never reached CONNACK; bounded by maxAttempts. */
  let failures = 0;
  /** Index into `urls` of the server being tried. */
  let serverIndex = 0;
  /** The broker refused our credentials once; the next attempt asks for fresh ones. */
  let refreshCredentials = false;
  let shortLinks = 0;
  let pendingAttempt: Subscription | undefined;
  let stableTimer: Subscription | undefined;
  let credentialsAbort: AbortController | undefined;
  let publishSeq = 0;

  const setState = (s: ConnectionState) => {
    if (!state$.closed) state$.next(s);
  };
  const isTerminal = () => {
    const s = state$.getValue().status;
    return closed || s === 'auth-failed' || s === 'kicked' || s === 'closed';
  };

  function scheduleAttempt(delayMs: number): void {
    pendingAttempt?.unsubscribe();
    pendingAttempt = scheduler.schedule(() => {
      pendingAttempt = undefined;
      void attempt();
    }, delayMs);
  }

  async function attempt(): Promise<void> {
    if (isTerminal()) return;
    const server = urls[serverIndex]!;
    const attemptNo = failures + 1;
    setState({ status: 'connecting', attempt: attemptNo, server });
    const refresh = refreshCredentials;
    const abort = new AbortController();
    credentialsAbort = abort;
    let creds: Credentials;
    try {
      creds = await credentials({ attempt: attemptNo, refresh, signal: abort.signal });
      if (!creds || typeof creds !== 'object') throw new CoplayError('CREDENTIALS_FAILED', 'credentials provider returned no credentials object');
    } catch (err) {
      if (abort.signal.aborted || closed) return;
      const e = err instanceof CoplayError ? err : new CoplayError('CREDENTIALS_FAILED', `credentials provider failed: ${String((err as Error)?.message ?? err)}`, { cause: err });
      // A token service that says "no" (401/403) is an auth refusal, not a network blip.
      const refused = e.code === 'TOKEN_REFUSED' || e.status === 401 || e.status === 403;
      linkDown(refused ? new CoplayError('AUTH_REFUSED', e.message, { cause: e }) : e, false, false);
      return;
    } finally {
      if (credentialsAbort === abort) credentialsAbort = undefined;
    }
    if (isTerminal() || abort.signal.aborted) return;
    if (creds.clientId !== undefined) {
      // A client id the broker would refuse is refused by every retry too: stop here, typed.
      const refused = brokerViolation(profile, { clientId: creds.clientId });
      if (refused) {
        giveUp({ status: 'closed', error: refused });
        return;
      }
      clientId = creds.clientId;
    }
    open(server, creds);
  }

  function open(server: string, creds: Credentials): void {
    const mqttOptions: IClientOptions = {
      clientId,
      protocolVersion: version,
      keepalive: options.keepalive ?? 30,
      clean: options.clean ?? true,
      reconnectPeriod: 0,
      queueQoSZero: false,
      resubscribe: false,
      connectTimeout: retry.connectTimeoutMs,
      ...(creds.username !== undefined ? { username: creds.username } : {}),
      ...(creds.password !== undefined ? { password: creds.password as string } : {}),
      ...(will ? { will: { topic: will.topic, payload: will.payload as string, qos: will.qos ?? 0, retain: will.retain ?? false } } : {}),
      ...(options.mqttOptions ?? {}),
    };
    // Ours drive reconnects and queueing; MQTT.js's must stay off whatever mqttOptions says.
    mqttOptions.reconnectPeriod = 0;
    mqttOptions.queueQoSZero = false;
    let c: MqttClient;
    try {
      c = mqtt.connect(server, mqttOptions);
    } catch (err) {
      linkDown(toCoplayError(err, version), false, false);
      return;
    }
    client = c;
    let lastError: CoplayError | undefined;
    let connectedAt: number | undefined;
    let kicked = false;
    c.on('connect', () => {
      if (client !== c) return;
      // Input frames are tiny and latency-bound: Nagle's algorithm would hold them for up to one
      // delayed-ACK period (~40 ms on Linux). Only TCP sockets have this; others ignore it.
      (c.stream as { setNoDelay?: (on: boolean) => void } | undefined)?.setNoDelay?.(true);
      connectedAt = scheduler.now();
      refreshCredentials = false;
      failures = 0;
      setState({ status: 'connected', server, since: connectedAt });
      stableTimer?.unsubscribe();
      stableTimer = scheduler.schedule(() => {
        retries = 0;
        shortLinks = 0;
      }, retry.resetAfterMs);
      resubscribe(c);
      flush(c);
    });
    c.on('message', (topic, payload, packet) => {
      if (client !== c) return;
      dispatch({ topic, payload, qos: packet.qos as QoS, retain: packet.retain });
    });
    c.on('error', (err) => {
      lastError = toCoplayError(err, version);
    });
    c.on('disconnect', (packet) => {
      if (packet.reasonCode === SESSION_TAKEN_OVER) {
        kicked = true;
        lastError = new CoplayError('KICKED', `another client connected with client id ${clientId}`, { details: { reasonCode: packet.reasonCode } });
      } else {
        lastError = new CoplayError('CONNECTION_LOST', `broker sent DISCONNECT (reason ${packet.reasonCode ?? 0})`, { details: { reasonCode: packet.reasonCode } });
      }
    });
    c.on('close', () => {
      if (client !== c) return;
      client = undefined;
      detach(c);
      stableTimer?.unsubscribe();
      const wasUp = connectedAt !== undefined;
      if (wasUp && !lastError && scheduler.now() - connectedAt! < KICK_WINDOW_MS) shortLinks++;
      else if (wasUp) shortLinks = 0;
      if (!wasUp && lastError?.code === 'CONNECTION_LOST') {
        lastError = new CoplayError('CONNECT_FAILED', `could not connect to ${server}: ${lastError.message}`, { cause: lastError.cause, details: lastError.details });
      }
      const reason =
        lastError ??
        new CoplayError(wasUp ? 'CONNECTION_LOST' : 'CONNECT_FAILED', wasUp ? `connection to ${server} lost` : `could not connect to ${server}`);
      if (!kicked && shortLinks >= KICK_LOOP_COUNT) {
        kicked = true;
        lastError = new CoplayError('KICKED', `the broker closed the link ${shortLinks} times right after connecting: another client probably uses client id ${clientId}`);
      }
      linkDown(kicked ? lastError! : reason, wasUp, kicked);
    });
  }

  /** One attempt failed or a live link dropped: decide between failover, refresh, backoff and giving up. */
  function linkDown(reason: CoplayError, wasUp: boolean, kicked: boolean): void {
    if (isTerminal()) return;
    if (kicked) {
      giveUp({ status: 'kicked', error: reason });
      return;
    }
    if (reason.code === 'AUTH_REFUSED') {
      if (!refreshCredentials) {
        // First refusal: the token may just have expired. Ask for a fresh one, once, right away.
        refreshCredentials = true;
        scheduleAttempt(0);
        return;
      }
      giveUp({ status: 'auth-failed', error: reason });
      return;
    }
    if (!wasUp && serverIndex + 1 < urls.length) {
      // Failover: the next server in the list is tried at once; backoff applies per round.
      serverIndex++;
      scheduleAttempt(0);
      return;
    }
    serverIndex = 0;
    if (!wasUp && ++failures >= retry.maxAttempts) {
      giveUp({ status: 'closed', error: reason });
      return;
    }
    retries++;
    const delayMs = backoffDelay(retries, retry, random);
    setState({ status: 'reconnecting', attempt: failures + 1, delayMs, reason });
    scheduleAttempt(delayMs);
  }

  function giveUp(state: ConnectionState): void {
    pendingAttempt?.unsubscribe();
    setState(state);
    const error = 'error' in state && state.error ? state.error : new CoplayError('CLOSED', 'connection gave up');
    queue.rejectAll(new CoplayError('CLOSED', `connection ${state.status}: queued message not sent (${error.message})`, { cause: error }), false);
  }

  function dispatch(message: Message): void {
    for (const entry of entries.values()) {
      if (topicMatches(entry.filter, message.topic)) entry.subject.next(message);
    }
  }

  function sendSubscribe(c: MqttClient, list: FilterEntry[]): void {
    if (list.length === 0) return;
    const map: Record<string, { qos: QoS }> = {};
    for (const e of list) {
      e.subscribed = true;
      map[e.filter] = { qos: e.qos };
    }
    c.subscribe(map, (err, granted) => {
      if (client !== c) return;
      // MQTT.js 5 reports a SUBACK holding failure codes as an error that carries the packet.
      const codes = (err as { packet?: { granted?: number[] } } | null)?.packet?.granted;
      if (err && !codes) return; // a dropped link resubscribes on the next CONNACK
      list.forEach((e, i) => {
        const code = codes ? codes[i] : granted?.[i]?.qos;
        if (code !== undefined && code >= 0x80 && entries.get(e.filter) === e) {
          entries.delete(e.filter);
          e.subject.error(new CoplayError('SUBSCRIBE_FAILED', `broker refused the subscription to ${e.filter}`, { details: { reasonCode: code } }));
        }
      });
    });
  }

  function resubscribe(c: MqttClient): void {
    for (const e of entries.values()) e.subscribed = false;
    sendSubscribe(c, [...entries.values()]);
  }

  function send(c: MqttClient, m: QueuedMessage): void {
    c.publish(m.topic, m.payload as string, { qos: m.qos, retain: m.retain }, (err) => {
      if (!err) {
        m.resolve(true);
        return;
      }
      // The link dropped under the message: keep it for the next link rather than losing it.
      if (!closed && !isTerminal() && m.qos > 0) queue.requeue(m);
      else if (closed) m.reject(new CoplayError('CLOSED', 'connection closed before the message was acknowledged', { cause: err }));
      else m.reject(new CoplayError('PUBLISH_FAILED', err.message, { cause: err }));
    });
  }

  function flush(c: MqttClient): void {
    for (const m of queue.drain()) {
      if (client !== c || !c.connected) queue.requeue(m);
      else send(c, m);
    }
  }

  function topic(filter: string, topicOptions: TopicOptions = {}): Observable<Message> {
    validateFilter(filter);
    validateQos(topicOptions.qos);
    const refused = brokerViolation(profile, { filter }) ?? brokerViolation(profile, { qos: topicOptions.qos ?? 0 });
    if (refused) throw refused;
    const qos = topicOptions.qos ?? 0;
    return new Observable<Message>((subscriber) => {
      if (closed) {
        subscriber.complete();
        return;
      }
      let entry = entries.get(filter);
      if (!entry) {
        entry = { filter, qos, subject: new Subject<Message>(), refs: 0, subscribed: false };
        entries.set(filter, entry);
      }
      const e = entry;
      e.refs++;
      e.grace?.unsubscribe();
      e.grace = undefined;
      const inner = e.subject.subscribe(subscriber);
      if (!e.subscribed && client?.connected) sendSubscribe(client, [e]);
      return () => {
        inner.unsubscribe();
        e.refs--;
        if (e.refs > 0 || closed) return;
        // A grace period absorbs unsubscribe/resubscribe churn (React StrictMode, route changes).
        e.grace = scheduler.schedule(() => {
          e.grace = undefined;
          if (e.refs > 0 || entries.get(filter) !== e) return;
          entries.delete(filter);
          e.subject.complete();
          if (e.subscribed && client?.connected) client.unsubscribe(filter);
        }, graceMs);
      };
    });
  }

  function publish(topicName: string, payload: string | Uint8Array, publishOptions: PublishOptions = {}): Promise<boolean> {
    validateTopic(topicName);
    validatePayload(payload);
    validateQos(publishOptions.qos);
    const bytes = byteLength(payload);
    if (bytes > MAX_PAYLOAD) throw new CoplayError('INVALID_PAYLOAD', `payload of ${bytes} bytes exceeds MQTT's limit of ${MAX_PAYLOAD}`);
    // What the broker would refuse or silently drop is refused here, before it is queued or sent.
    const refused =
      brokerViolation(profile, { topic: topicName }) ??
      brokerViolation(profile, { payloadBytes: bytes }) ??
      brokerViolation(profile, { qos: publishOptions.qos ?? 0 }) ??
      brokerViolation(profile, { retain: publishOptions.retain ?? false });
    if (refused) return Promise.reject(refused);
    const whenOffline = publishOptions.whenOffline ?? 'queue';
    if (!['queue', 'drop', 'fail'].includes(whenOffline)) {
      throw new CoplayError('INVALID_OPTIONS', `whenOffline must be 'queue', 'drop' or 'fail', got ${String(whenOffline)}`);
    }
    const ttlMs = publishOptions.ttlMs ?? queueOptions.ttlMs;
    if (!(ttlMs >= 0)) throw new CoplayError('INVALID_OPTIONS', 'ttlMs must be a non-negative number');
    if (closed) return Promise.reject(new CoplayError('CLOSED', 'connection is closed'));
    return new Promise<boolean>((resolve, reject) => {
      const m: QueuedMessage = {
        seq: ++publishSeq,
        topic: topicName,
        payload,
        bytes,
        qos: publishOptions.qos ?? 0,
        retain: publishOptions.retain ?? false,
        coalesceKey: publishOptions.coalesceKey,
        expiresAt: scheduler.now() + ttlMs,
        resolve,
        reject,
      };
      if (client?.connected && queue.size === 0) return send(client, m);
      if (whenOffline === 'drop') return resolve(false);
      if (whenOffline === 'fail' || isTerminal()) {
        return reject(new CoplayError('OFFLINE', `not connected (${state$.getValue().status}); message to ${topicName} not sent`));
      }
      queue.enqueue(m);
      if (client?.connected) flush(client);
    });
  }

  function dropClient(): void {
    const c = client;
    client = undefined;
    stableTimer?.unsubscribe();
    if (c) {
      detach(c);
      c.end(true);
    }
  }

  function connect(): void {
    if (closed) return;
    const s = state$.getValue().status;
    if (s === 'connecting' || s === 'connected' || s === 'reconnecting') return;
    failures = 0;
    retries = 0;
    serverIndex = 0;
    shortLinks = 0;
    refreshCredentials = false;
    scheduleAttempt(0);
  }

  function reconnect(): void {
    if (closed) return;
    credentialsAbort?.abort();
    dropClient();
    serverIndex = 0;
    if (isTerminal()) {
      connect();
      return;
    }
    scheduleAttempt(0);
  }

  function close(): Promise<void> {
    if (closing) return closing;
    closed = true;
    pendingAttempt?.unsubscribe();
    stableTimer?.unsubscribe();
    credentialsAbort?.abort();
    const c = client;
    client = undefined;
    const s = state$.getValue();
    if (s.status !== 'closed') setState({ status: 'closed' });
    queue.rejectAll(new CoplayError('CLOSED', 'connection closed before the message was sent'), true);
    for (const e of entries.values()) {
      e.grace?.unsubscribe();
      e.subject.complete();
    }
    entries.clear();
    closing = new Promise<void>((resolve) => {
      if (!c) return resolve();
      detach(c);
      // A clean DISCONNECT, so the broker does not publish our last will; forced if acks never come.
      const force = setTimeout(() => c.end(true, {}, () => resolve()), 1000);
      (force as { unref?: () => void }).unref?.();
      c.end(!c.connected, {}, () => {
        clearTimeout(force);
        resolve();
      });
    }).then(() => state$.complete());
    return closing;
  }

  if (options.autoConnect !== false) connect();

  return {
    state$: state$.asObservable(),
    get state() {
      return state$.getValue();
    },
    queue$: queue.changes$,
    get queueStats(): QueueStats {
      return queue.stats;
    },
    get clientId() {
      return clientId;
    },
    broker: profile,
    topic,
    publish,
    setWill(next) {
      if (next) validateWill(next, profile);
      will = next;
    },
    connect,
    reconnect,
    close,
  };
}

/** Stops listening to a client we are done with; a late socket error must not become an unhandled 'error' event. */
function detach(c: MqttClient): void {
  c.removeAllListeners();
  c.on('error', () => {});
}

function stripUndefined<T extends object>(obj: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(obj ?? {})) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
