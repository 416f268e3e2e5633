import { CoplayError } from '../errors/CoplayError';
import { BROKER_PROFILES, type BrokerProfileName } from './BROKER_PROFILES';
import type { QoS } from './types';

/**
 * What one MQTT broker accepts. coplay checks every topic, filter, payload, QoS, retain flag, will and
 * client id against the connection's profile before anything is sent, so a message the broker would drop
 * silently (Easemob drops a 65-character topic without a word) is a typed error instead.
 *
 * Built-in profiles are in {@link BROKER_PROFILES}; a custom profile is any object of this shape
 * (start from a built-in one: `{ ...BROKER_PROFILES.mosquitto, name: 'my-mosquitto', maxPayloadBytes: 1024 }`).
 */
export interface BrokerProfile {
  /** Named in every error, e.g. `'easemob'`. */
  readonly name: string;
  /** Longest topic name or filter, in UTF-8 bytes (equal to characters for ASCII topics). */
  readonly maxTopicLength: number;
  /** Most `/`-separated levels in a topic or filter. */
  readonly maxTopicLevels: number;
  /**
   * Every topic level that is not a wildcard must match this (a leading `$` on the first level is
   * allowed when {@link BrokerProfile.dollarTopics} is true). Undefined: any characters MQTT allows.
   */
  readonly topicLevel?: RegExp;
  /** Human description of the allowed topic characters, used in error messages. */
  readonly topicCharacters: string;
  /** Topics may start with `$` (e.g. `$SYS`, `$share`). */
  readonly dollarTopics: boolean;
  /** Largest application payload in bytes. */
  readonly maxPayloadBytes: number;
  /** MQTT protocol versions the broker speaks: 4 is 3.1.1, 5 is MQTT 5. */
  readonly protocolVersions: readonly (4 | 5)[];
  /** Highest QoS the broker delivers for publishes and subscriptions. */
  readonly maxQos: QoS;
  /** Retained messages are kept. */
  readonly retain: boolean;
  /** A retained message is also delivered to wildcard filters (RabbitMQ 3.10 only serves exact filters). */
  readonly retainWildcardDelivery: boolean;
  /** Last-will messages are published. */
  readonly wills: boolean;
  /** `+` and `#` filters are supported. */
  readonly wildcards: boolean;
  /** Longest client id, in UTF-8 bytes. */
  readonly maxClientIdLength: number;
  /** A client id must match this. Undefined: any string. */
  readonly clientIdPattern?: RegExp;
  /** Where the limits come from (documentation, source, or the tests in this repository). */
  readonly source: string;
  /**
   * A refused SUBSCRIBE may be temporary on this broker: send it again after each of these delays (ms)
   * before `topic()` errors with `SUBSCRIBE_FAILED`. NATS refuses QoS 1 subscriptions while JetStream
   * elects a new leader after a node died (5–8 s measured). Default: none, a refusal is final.
   */
  readonly subscribeRetryMs?: readonly number[];
  /**
   * With a clean session, subscribe at QoS 0 whatever `topic()` asks: on NATS a QoS 1 subscription is a
   * JetStream consumer, held up to 4 s and refused for 5–17 s after a cluster node dies (measured), while
   * QoS 0 is granted at once. A clean session keeps nothing across links, so QoS 1 adds nothing over TCP.
   */
  readonly cleanSubscriptionsAtQos0?: boolean;
}

/** A built-in profile's name, a complete custom profile, or overrides on a built-in one (`extends`). */
export type BrokerOption =
  | BrokerProfileName
  | BrokerProfile
  | (Partial<BrokerProfile> & { readonly name: string; readonly extends: BrokerProfileName });

/** Easemob's MQTT hosts: `{appId}.cn1.mqtt.chat` and similar. */
const EASEMOB_HOST = /(^|\.)mqtt\.chat$/i;

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

const NUMBER_FIELDS = ['maxTopicLength', 'maxTopicLevels', 'maxPayloadBytes', 'maxClientIdLength'] as const;

/**
 * Resolves the `broker` option of `createConnection` to a profile.
 *
 * Without a `broker` option, a URL on `*.mqtt.chat` selects `easemob` and anything else `generic`
 * (MQTT's own limits). Pass `broker: 'generic'` to switch the Easemob guess off.
 *
 * @throws CoplayError `INVALID_OPTIONS` for an unknown name or a malformed custom profile.
 * @example
 * brokerProfile(undefined, 'wss://abc123.cn1.mqtt.chat/mqtt').name // 'easemob'
 * brokerProfile({ extends: 'mosquitto', name: 'small', maxPayloadBytes: 4096 })
 */
export function brokerProfile(broker: BrokerOption | undefined, url?: string | readonly string[]): BrokerProfile {
  if (broker === undefined) {
    const urls = typeof url === 'string' ? [url] : (url ?? []);
    return urls.length > 0 && urls.every((u) => EASEMOB_HOST.test(hostOf(u))) ? BROKER_PROFILES.easemob : BROKER_PROFILES.generic;
  }
  if (typeof broker === 'string') {
    const found = Object.prototype.hasOwnProperty.call(BROKER_PROFILES, broker) ? BROKER_PROFILES[broker] : undefined;
    if (!found) {
      throw new CoplayError('INVALID_OPTIONS', `unknown broker profile ${JSON.stringify(broker)}; built-in: ${Object.keys(BROKER_PROFILES).join(', ')}`);
    }
    return found;
  }
  if (!broker || typeof broker !== 'object') throw new CoplayError('INVALID_OPTIONS', 'options.broker must be a profile name or a profile object');
  let merged: BrokerProfile;
  if ('extends' in broker && broker.extends !== undefined) {
    const { extends: base, ...rest } = broker;
    merged = { ...brokerProfile(base), ...stripUndefined(rest) };
  } else {
    merged = broker as BrokerProfile;
  }
  checkProfile(merged);
  return Object.freeze({ ...merged });
}

function checkProfile(p: BrokerProfile): void {
  const bad = (why: string) => new CoplayError('INVALID_OPTIONS', `broker profile ${JSON.stringify(p.name)}: ${why}`);
  if (typeof p.name !== 'string' || p.name === '') throw bad('name must be a non-empty string');
  for (const key of NUMBER_FIELDS) {
    const v = p[key];
    if (typeof v !== 'number' || !(v >= 1)) throw bad(`${key} must be a number ≥ 1, got ${String(v)}`);
  }
  if (!Array.isArray(p.protocolVersions) || p.protocolVersions.length === 0 || p.protocolVersions.some((v) => v !== 4 && v !== 5)) {
    throw bad('protocolVersions must be a non-empty list of 4 and/or 5');
  }
  if (p.maxQos !== 0 && p.maxQos !== 1 && p.maxQos !== 2) throw bad('maxQos must be 0, 1 or 2');
  for (const key of ['retain', 'retainWildcardDelivery', 'wills', 'wildcards', 'dollarTopics'] as const) {
    if (typeof p[key] !== 'boolean') throw bad(`${key} must be a boolean`);
  }
  if (p.cleanSubscriptionsAtQos0 !== undefined && typeof p.cleanSubscriptionsAtQos0 !== 'boolean') throw bad('cleanSubscriptionsAtQos0 must be a boolean');
  for (const key of ['topicLevel', 'clientIdPattern'] as const) {
    if (p[key] !== undefined && !(p[key] instanceof RegExp)) throw bad(`${key} must be a RegExp`);
  }
  if (typeof p.topicCharacters !== 'string') throw bad('topicCharacters must be a string');
  if (typeof p.source !== 'string') throw bad('source must be a string');
  if (p.subscribeRetryMs !== undefined && (!Array.isArray(p.subscribeRetryMs) || p.subscribeRetryMs.some((d) => typeof d !== 'number' || !(d >= 0)))) {
    throw bad('subscribeRetryMs must be a list of non-negative delays in ms');
  }
}

function stripUndefined<T extends object>(obj: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
