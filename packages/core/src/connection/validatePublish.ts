import { CoplayError } from '../errors/CoplayError';
import type { BrokerProfile } from './brokerProfile';
import { brokerViolation } from './brokerViolation';
import type { PublishOptions, QoS } from './types';
import { validatePayload, validateQos } from './validateOptions';
import { validateTopic } from './validateTopic';

/** MQTT's largest "remaining length": everything after the fixed header must fit in it. */
export const MAX_PACKET_REMAINING_LENGTH = 268_435_455;
const WHEN_OFFLINE = ['queue', 'drop', 'fail'];
const encoder = new TextEncoder();

/** A publish call's arguments, checked, with defaults filled in. */
export interface CheckedPublish {
  readonly topic: string;
  readonly payload: string | Uint8Array;
  readonly bytes: number;
  readonly qos: QoS;
  readonly retain: boolean;
  readonly whenOffline: 'queue' | 'drop' | 'fail';
  /** `undefined`: the queue's default TTL. */
  readonly ttlMs: number | undefined;
  readonly coalesceKey: string | undefined;
}

function bad(message: string): never {
  throw new CoplayError('INVALID_OPTIONS', message);
}

/**
 * Checks `publish()` arguments, including the whole PUBLISH packet size: topic, packet id and (MQTT 5)
 * properties count against MQTT's 268,435,455-byte limit, not just the payload. `null` options mean none.
 * What the broker profile would refuse or silently drop (topic, size, QoS, retain) is refused too.
 *
 * @throws CoplayError `INVALID_TOPIC`, `INVALID_PAYLOAD`, `INVALID_OPTIONS` or a broker-profile code (publish turns these into rejections).
 */
export function validatePublish(
  topic: unknown,
  payload: unknown,
  options: PublishOptions | null | undefined,
  version: 4 | 5,
  profile: BrokerProfile,
): CheckedPublish {
  validateTopic(topic);
  validatePayload(payload);
  if (options !== undefined && options !== null && (typeof options !== 'object' || Array.isArray(options))) {
    bad('publish options must be an object');
  }
  const o = (options ?? {}) as Record<string, unknown>;
  validateQos(o.qos);
  const qos = o.qos ?? 0;
  const retain = o.retain ?? false;
  if (typeof retain !== 'boolean') bad('retain must be a boolean');
  const whenOffline = o.whenOffline ?? 'queue';
  if (typeof whenOffline !== 'string' || !WHEN_OFFLINE.includes(whenOffline)) {
    bad(`whenOffline must be 'queue', 'drop' or 'fail', got ${JSON.stringify(whenOffline)}`);
  }
  const ttlMs = o.ttlMs ?? undefined;
  if (ttlMs !== undefined && (typeof ttlMs !== 'number' || !(ttlMs >= 0))) bad('ttlMs must be a non-negative number (Infinity: never expires)');
  const coalesceKey = o.coalesceKey ?? undefined;
  if (coalesceKey !== undefined && typeof coalesceKey !== 'string') bad('coalesceKey must be a string');
  const bytes = typeof payload === 'string' ? encoder.encode(payload).length : payload.byteLength;
  // Variable header: 2-byte topic length + topic, 2-byte packet id for QoS > 0, MQTT 5 property length (≥ 1 byte).
  const topicBytes = encoder.encode(topic).length;
  const packet = 2 + topicBytes + (qos > 0 ? 2 : 0) + (version === 5 ? 1 : 0) + bytes;
  if (packet > MAX_PACKET_REMAINING_LENGTH) {
    throw new CoplayError(
      'INVALID_PAYLOAD',
      `PUBLISH packet of ${packet} bytes (payload ${bytes}) exceeds MQTT's limit of ${MAX_PACKET_REMAINING_LENGTH}`,
      { details: { limit: MAX_PACKET_REMAINING_LENGTH, actual: packet } },
    );
  }
  // What the broker would refuse or silently drop is refused here, before it is queued or sent.
  const refused =
    brokerViolation(profile, { topic }) ??
    brokerViolation(profile, { payloadBytes: bytes }) ??
    brokerViolation(profile, { qos }) ??
    brokerViolation(profile, { retain });
  if (refused) throw refused;
  return {
    topic,
    payload,
    bytes,
    qos,
    retain,
    whenOffline: whenOffline as CheckedPublish['whenOffline'],
    ttlMs: ttlMs,
    coalesceKey: coalesceKey,
  };
}
