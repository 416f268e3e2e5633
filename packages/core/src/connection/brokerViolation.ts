import { CoplayError, type CoplayErrorCode } from '../errors/CoplayError';
import type { BrokerProfile } from './brokerProfile';
import type { QoS, WillMessage } from './types';

/** One thing to check against a {@link BrokerProfile}. */
export type BrokerSubject =
  /** A topic name to publish to. */
  | { readonly topic: string }
  /** A subscription filter (`+`, `#` allowed where the profile allows wildcards). */
  | { readonly filter: string }
  /** The size of a payload in bytes. */
  | { readonly payloadBytes: number }
  /** A publish or subscription QoS. */
  | { readonly qos: QoS }
  /** A retained publish. */
  | { readonly retain: boolean }
  /** A last-will message (topic, payload, QoS, retain, and wills at all). */
  | { readonly will: WillMessage }
  /** A client id as it will be sent in CONNECT. */
  | { readonly clientId: string }
  /** The MQTT protocol version of the CONNECT. */
  | { readonly protocolVersion: 4 | 5 };

const encoder = new TextEncoder();

function utf8Length(s: string): number {
  return encoder.encode(s).length;
}

function fail(profile: BrokerProfile, code: CoplayErrorCode, message: string, limit: unknown, actual: unknown): CoplayError {
  return new CoplayError(code, `${message} (broker profile '${profile.name}')`, { details: { broker: profile.name, limit, actual } });
}

function checkName(profile: BrokerProfile, name: string, kind: 'topic' | 'filter'): CoplayError | undefined {
  const code = kind === 'topic' ? 'INVALID_TOPIC' : 'INVALID_FILTER';
  if (typeof name !== 'string') return fail(profile, code, `${kind} must be a string`, 'string', typeof name);
  // UTF-8 takes at most 3 bytes per UTF-16 code unit: a short name needs no encoding (every publish checks).
  const bytes = name.length * 3 <= profile.maxTopicLength ? undefined : utf8Length(name);
  if (bytes !== undefined && bytes > profile.maxTopicLength) {
    return fail(
      profile,
      'TOPIC_TOO_LONG',
      `${kind} ${JSON.stringify(name)} is ${bytes} bytes; ${profile.name} allows at most ${profile.maxTopicLength}`,
      profile.maxTopicLength,
      bytes,
    );
  }
  const levels = name.split('/');
  if (levels.length > profile.maxTopicLevels) {
    return fail(profile, code, `${kind} ${JSON.stringify(name)} has ${levels.length} levels; ${profile.name} allows at most ${profile.maxTopicLevels}`, profile.maxTopicLevels, levels.length);
  }
  for (let i = 0; i < levels.length; i++) {
    let level = levels[i]!;
    if (kind === 'filter' && (level === '+' || (level === '#' && i === levels.length - 1))) {
      if (!profile.wildcards) return fail(profile, code, `filter ${JSON.stringify(name)} uses a wildcard; ${profile.name} does not support wildcards`, 'no wildcards', level);
      continue;
    }
    if (i === 0 && level.startsWith('$')) {
      if (!profile.dollarTopics) return fail(profile, code, `${kind} ${JSON.stringify(name)} starts with '$', which ${profile.name} reserves`, 'no leading $', '$');
      level = level.slice(1);
    }
    if (profile.topicLevel && !profile.topicLevel.test(level)) {
      return fail(
        profile,
        code,
        `${kind} ${JSON.stringify(name)} has level ${JSON.stringify(levels[i])} with characters ${profile.name} does not allow; allowed: ${profile.topicCharacters}`,
        profile.topicCharacters,
        levels[i],
      );
    }
  }
  return undefined;
}

function checkQos(profile: BrokerProfile, qos: QoS | undefined): CoplayError | undefined {
  if (qos !== undefined && qos > profile.maxQos) {
    return fail(profile, 'QOS_NOT_SUPPORTED', `QoS ${qos} is not supported; ${profile.name} delivers at most QoS ${profile.maxQos}`, profile.maxQos, qos);
  }
  return undefined;
}

function checkPayload(profile: BrokerProfile, bytes: number): CoplayError | undefined {
  if (bytes > profile.maxPayloadBytes) {
    return fail(profile, 'PAYLOAD_TOO_LARGE', `payload of ${bytes} bytes is over ${profile.name}'s limit of ${profile.maxPayloadBytes} bytes`, profile.maxPayloadBytes, bytes);
  }
  return undefined;
}

function checkRetain(profile: BrokerProfile, retain: boolean | undefined): CoplayError | undefined {
  if (retain && !profile.retain) return fail(profile, 'RETAIN_NOT_SUPPORTED', `${profile.name} does not keep retained messages`, false, true);
  return undefined;
}

/**
 * Checks one topic, filter, payload size, QoS, retain flag, will, client id or protocol version
 * against a broker profile. Pure: it returns the typed error the caller should raise, or `undefined`.
 *
 * Codes: `TOPIC_TOO_LONG`, `INVALID_TOPIC`, `INVALID_FILTER`, `PAYLOAD_TOO_LARGE`, `QOS_NOT_SUPPORTED`,
 * `RETAIN_NOT_SUPPORTED`, `WILL_NOT_SUPPORTED`, `INVALID_CLIENT_ID`, `PROTOCOL_NOT_SUPPORTED`; every error
 * names the broker and has `details: { broker, limit, actual }`.
 *
 * It checks the profile's limits only; MQTT's own rules (no wildcard in a topic name, `#` last) are
 * `validateTopic` / `validateFilter`.
 *
 * @example
 * brokerViolation(BROKER_PROFILES.easemob, { topic: 'coplay/' + 'x'.repeat(60) })?.code // 'TOPIC_TOO_LONG'
 */
export function brokerViolation(profile: BrokerProfile, subject: BrokerSubject): CoplayError | undefined {
  if ('topic' in subject) return checkName(profile, subject.topic, 'topic');
  if ('filter' in subject) return checkName(profile, subject.filter, 'filter');
  if ('payloadBytes' in subject) return checkPayload(profile, subject.payloadBytes);
  if ('qos' in subject) return checkQos(profile, subject.qos);
  if ('retain' in subject) return checkRetain(profile, subject.retain);
  if ('will' in subject) {
    const will = subject.will;
    if (!profile.wills) return fail(profile, 'WILL_NOT_SUPPORTED', `${profile.name} does not publish last wills`, false, true);
    const payload = will.payload;
    const bytes = typeof payload === 'string' ? utf8Length(payload) : (payload?.byteLength ?? 0);
    return checkName(profile, will.topic, 'topic') ?? checkPayload(profile, bytes) ?? checkQos(profile, will.qos) ?? checkRetain(profile, will.retain);
  }
  if ('clientId' in subject) {
    const id = subject.clientId;
    const bytes = utf8Length(id);
    if (bytes > profile.maxClientIdLength) {
      return fail(profile, 'INVALID_CLIENT_ID', `client id ${JSON.stringify(id)} is ${bytes} bytes; ${profile.name} allows at most ${profile.maxClientIdLength}`, profile.maxClientIdLength, bytes);
    }
    if (profile.clientIdPattern && !profile.clientIdPattern.test(id)) {
      return fail(profile, 'INVALID_CLIENT_ID', `client id ${JSON.stringify(id)} has characters ${profile.name} does not allow`, String(profile.clientIdPattern), id);
    }
    return undefined;
  }
  if ('protocolVersion' in subject) {
    const v = subject.protocolVersion;
    if (!profile.protocolVersions.includes(v)) {
      const names = profile.protocolVersions.map((p) => (p === 4 ? '3.1.1 (4)' : '5')).join(' and ');
      return fail(profile, 'PROTOCOL_NOT_SUPPORTED', `MQTT protocol version ${v} is not supported; ${profile.name} speaks ${names}`, profile.protocolVersions, v);
    }
    return undefined;
  }
  return undefined;
}
