import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { CoplayError } from '../errors/CoplayError';
import { isUint8Array } from '../util/isUint8Array';
import { DEFAULT_RECONNECT, MIN_RECONNECT_DELAY_MS, type ResolvedReconnectOptions } from './backoffDelay';
import { DEFAULT_QUEUE, type ResolvedQueueOptions } from './SendQueue';
import { brokerProfile, type BrokerOption, type BrokerProfile } from './brokerProfile';
import { brokerViolation } from './brokerViolation';
import type { ConnectionOptions, Credentials, CredentialsProvider, QoS, WillMessage } from './types';
import { validateTopic } from './validateTopic';

/** Longest delay or duration option accepted (ms): one day. Longer ones are `INVALID_OPTIONS`. */
const MAX_DURATION_MS = 86_400_000;

const PROTOCOLS = new Set(['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:', 'ssl:', 'tls:']);
const OVERFLOW = ['drop-oldest', 'drop-newest', 'error'];
const encoder = new TextEncoder();

/** {@link ConnectionOptions} checked and with every default filled in. */
export interface ResolvedConnectionOptions {
  readonly urls: readonly string[];
  /** The broker's limits, from `options.broker` and the URLs. */
  readonly profile: BrokerProfile;
  readonly clientId: string | undefined;
  readonly version: 4 | 5;
  /** Fall back from MQTT 5 to 3.1.1 when the broker refuses 5. */
  readonly protocolFallback: boolean;
  readonly keepalive: number;
  readonly clean: boolean;
  readonly reconnect: ResolvedReconnectOptions;
  readonly queue: ResolvedQueueOptions;
  readonly unsubscribeGraceMs: number;
  readonly closeTimeoutMs: number;
  readonly will: WillMessage | undefined;
  readonly credentials: CredentialsProvider;
  readonly autoConnect: boolean;
  readonly scheduler: SchedulerLike;
  readonly random: () => number;
  readonly mqttOptions: Record<string, unknown>;
  readonly wholePacketFrames: boolean;
}

function bad(message: string): never {
  throw new CoplayError('INVALID_OPTIONS', message);
}

/** `undefined` and `null` both mean "not given". */
function given<T>(v: T | null | undefined): v is T {
  return v !== undefined && v !== null;
}

function objectOrNone(v: unknown, where: string): Record<string, unknown> {
  if (!given(v)) return {};
  if (typeof v !== 'object' || Array.isArray(v)) bad(`${where} must be an object`);
  return v as Record<string, unknown>;
}

/** A number in [min, max] (Infinity only if `max` is), integer if asked; `fallback` when not given. */
function numberIn(v: unknown, where: string, min: number, max: number, fallback: number, integer = false): number {
  if (!given(v)) return fallback;
  if (typeof v !== 'number' || Number.isNaN(v) || v < min || v > max || (integer && Number.isFinite(v) && !Number.isInteger(v))) {
    bad(`${where} must be ${integer ? 'an integer' : 'a number'} in ${min}..${max}, got ${describe(v)}`);
  }
  return v;
}

function booleanOr(v: unknown, where: string, fallback: boolean): boolean {
  if (!given(v)) return fallback;
  if (typeof v !== 'boolean') bad(`${where} must be a boolean, got ${describe(v)}`);
  return v;
}

function describe(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

function validateUrls(url: unknown): string[] {
  const urls = typeof url === 'string' ? [url] : Array.isArray(url) ? [...(url as unknown[])] : [];
  if (urls.length === 0) throw new CoplayError('INVALID_URL', 'options.url must be a URL string or a non-empty list of them');
  for (const u of urls) {
    if (typeof u !== 'string') throw new CoplayError('INVALID_URL', `options.url entries must be strings, got ${describe(u)}`);
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
  return urls as string[];
}

function validateReconnect(value: unknown): ResolvedReconnectOptions {
  const r = objectOrNone(value, 'options.reconnect');
  const d = DEFAULT_RECONNECT;
  // Delays between 0 and the floor are raised to it (documented), so no setting can storm the broker.
  const delay = (v: unknown, where: string, fallback: number) =>
    Math.max(MIN_RECONNECT_DELAY_MS, numberIn(v, where, 0, MAX_DURATION_MS, fallback));
  return {
    initialDelayMs: delay(r.initialDelayMs, 'options.reconnect.initialDelayMs', d.initialDelayMs),
    maxDelayMs: delay(r.maxDelayMs, 'options.reconnect.maxDelayMs', d.maxDelayMs),
    multiplier: numberIn(r.multiplier, 'options.reconnect.multiplier', 1, 10, d.multiplier),
    jitter: numberIn(r.jitter, 'options.reconnect.jitter', 0, 1, d.jitter),
    maxAttempts: numberIn(r.maxAttempts, 'options.reconnect.maxAttempts', 1, Number.POSITIVE_INFINITY, d.maxAttempts, true),
    resetAfterMs: numberIn(r.resetAfterMs, 'options.reconnect.resetAfterMs', 0, MAX_DURATION_MS, d.resetAfterMs),
    connectTimeoutMs: numberIn(r.connectTimeoutMs, 'options.reconnect.connectTimeoutMs', 100, 300_000, d.connectTimeoutMs),
    earlyMaxDelayMs: delay(r.earlyMaxDelayMs, 'options.reconnect.earlyMaxDelayMs', d.earlyMaxDelayMs),
    earlyPhaseMs: numberIn(r.earlyPhaseMs, 'options.reconnect.earlyPhaseMs', 0, MAX_DURATION_MS, d.earlyPhaseMs),
    kickLoopLinks: numberIn(r.kickLoopLinks, 'options.reconnect.kickLoopLinks', 2, Number.POSITIVE_INFINITY, d.kickLoopLinks, true),
  };
}

function validateQueue(value: unknown): ResolvedQueueOptions {
  const q = objectOrNone(value, 'options.queue');
  const d = DEFAULT_QUEUE;
  const overflow = given(q.overflow) ? q.overflow : d.overflow;
  if (typeof overflow !== 'string' || !OVERFLOW.includes(overflow)) {
    bad(`options.queue.overflow must be 'drop-oldest', 'drop-newest' or 'error', got ${describe(overflow)}`);
  }
  return {
    maxMessages: numberIn(q.maxMessages, 'options.queue.maxMessages', 0, 1_000_000, d.maxMessages, true),
    maxBytes: numberIn(q.maxBytes, 'options.queue.maxBytes', 0, 1 << 30, d.maxBytes, true),
    ttlMs: numberIn(q.ttlMs, 'options.queue.ttlMs', 0, Number.POSITIVE_INFINITY, d.ttlMs),
    overflow: overflow as ResolvedQueueOptions['overflow'],
  };
}

/** Throws `INVALID_PAYLOAD` unless `payload` is a string or a Uint8Array. */
export function validatePayload(payload: unknown): asserts payload is string | Uint8Array {
  if (typeof payload !== 'string' && !isUint8Array(payload)) {
    throw new CoplayError('INVALID_PAYLOAD', `payload must be a string or a Uint8Array, got ${describe(payload)}`);
  }
}

/** Throws `INVALID_OPTIONS` unless `qos` is 0, 1, 2 or not given. */
export function validateQos(qos: unknown): asserts qos is QoS | undefined | null {
  if (given(qos) && qos !== 0 && qos !== 1 && qos !== 2) bad(`qos must be 0, 1 or 2, got ${describe(qos)}`);
}

/** Throws unless `will` is a well-formed last will (topic, payload, QoS, retain) that the broker profile accepts. */
export function validateWill(will: unknown, profile: BrokerProfile): asserts will is WillMessage {
  if (typeof will !== 'object' || will === null) bad('options.will must be an object');
  const w = will as Record<string, unknown>;
  validateTopic(w.topic);
  validatePayload(w.payload);
  validateQos(w.qos);
  booleanOr(w.retain, 'will.retain', false);
  const e = brokerViolation(profile, { will: will as WillMessage });
  if (e) throw e;
}

/**
 * Checks every option of `createConnection` — type, floor and ceiling — and fills in the defaults.
 * `null` counts as "not given". Durations above one day are `INVALID_OPTIONS`; reconnect delays from 0
 * to {@link MIN_RECONNECT_DELAY_MS} are raised to it, so no setting can produce a CONNECT storm.
 *
 * @throws CoplayError `INVALID_OPTIONS`, `INVALID_URL`, `INVALID_TOPIC`, `INVALID_PAYLOAD` synchronously.
 */
export function validateOptions(options: ConnectionOptions): ResolvedConnectionOptions {
  if (!options || typeof options !== 'object') bad('createConnection needs an options object');
  const o = options as unknown as Record<string, unknown>;
  const urls = validateUrls(o.url);
  let clientId: string | undefined;
  if (given(o.clientId)) {
    if (typeof o.clientId !== 'string' || encoder.encode(o.clientId).length > 65535 || o.clientId.includes('\u0000')) {
      bad('options.clientId must be a string of at most 65535 bytes without U+0000');
    }
    clientId = o.clientId;
  }
  const clean = booleanOr(o.clean, 'options.clean', true);
  // MQTT: a broker must refuse an empty client id that asks for a kept session.
  if (!clean && clientId === '') bad('options.clean: false needs a non-empty clientId (the session is kept under it)');
  const askedVersion = given(o.protocolVersion) ? o.protocolVersion : 4;
  if (askedVersion !== 4 && askedVersion !== 5) bad(`options.protocolVersion must be 4 or 5, got ${describe(askedVersion)}`);
  let version: 4 | 5 = askedVersion;
  const creds = o.credentials;
  if (given(creds) && typeof creds !== 'function' && typeof creds !== 'object') {
    bad('options.credentials must be a function or an object');
  }
  let credentials: CredentialsProvider;
  if (typeof creds === 'function') credentials = creds as CredentialsProvider;
  else {
    const fixed = (creds ?? {}) as Credentials;
    credentials = () => fixed;
  }
  const profile = brokerProfile(o.broker as BrokerOption | undefined, urls);
  if (given(o.will)) validateWill(o.will, profile);
  const protocolFallback = booleanOr(o.protocolFallback, 'options.protocolFallback', false);
  // A profile without MQTT 5 plus an allowed fallback: start on 3.1.1 rather than be refused once.
  if (version === 5 && protocolFallback && !profile.protocolVersions.includes(5)) version = 4;
  const brokerError =
    (clientId !== undefined ? brokerViolation(profile, { clientId }) : undefined) ?? brokerViolation(profile, { protocolVersion: version });
  if (brokerError) throw brokerError;
  const scheduler = given(o.scheduler) ? (o.scheduler as SchedulerLike) : asyncScheduler;
  if (typeof scheduler !== 'object' || typeof scheduler.schedule !== 'function' || typeof scheduler.now !== 'function') {
    bad('options.scheduler must be an RxJS SchedulerLike');
  }
  const random = given(o.random) ? o.random : Math.random;
  if (typeof random !== 'function') bad('options.random must be a function returning [0, 1)');
  return {
    urls,
    profile,
    clientId,
    version,
    protocolFallback,
    keepalive: numberIn(o.keepalive, 'options.keepalive', 0, 65535, 30, true),
    clean,
    reconnect: validateReconnect(o.reconnect),
    queue: validateQueue(o.queue),
    unsubscribeGraceMs: numberIn(o.unsubscribeGraceMs, 'options.unsubscribeGraceMs', 0, MAX_DURATION_MS, 250),
    closeTimeoutMs: numberIn(o.closeTimeoutMs, 'options.closeTimeoutMs', 0, 60_000, 1000),
    will: given(o.will) ? (o.will) : undefined,
    credentials,
    autoConnect: booleanOr(o.autoConnect, 'options.autoConnect', true),
    scheduler,
    random: random as () => number,
    mqttOptions: objectOrNone(o.mqttOptions, 'options.mqttOptions'),
    wholePacketFrames: booleanOr(o.wholePacketFrames, 'options.wholePacketFrames', true),
  };
}
