import { CoplayError, isCoplayError } from '../errors/CoplayError';

/** Codes that mean the broker (or its profile) will never take this message, so retrying cannot help. */
const FATAL = new Set<string>([
  'PUBLISH_REFUSED',
  'SUBSCRIBE_FAILED',
  'INVALID_TOPIC',
  'INVALID_FILTER',
  'INVALID_PAYLOAD',
  'TOPIC_TOO_LONG',
  'PAYLOAD_TOO_LARGE',
  'QOS_NOT_SUPPORTED',
  'RETAIN_NOT_SUPPORTED',
  'WILL_NOT_SUPPORTED',
]);

const reasonCodeOf = (e: unknown): number | undefined => {
  const direct = (e as { details?: { reasonCode?: unknown } } | undefined)?.details?.reasonCode;
  if (typeof direct === 'number') return direct;
  const cause = (e as { cause?: { code?: unknown; reasonCode?: unknown } } | undefined)?.cause;
  const code = cause?.reasonCode ?? cause?.code;
  return typeof code === 'number' ? code : undefined;
};

/**
 * The error a room ends with when a publish or subscription failed for good: a refusal by the
 * broker (an MQTT 5 reason code ≥ 0x80, a failed SUBACK) or by the broker profile. `undefined` for
 * what a reconnect heals (offline, link lost, connection closed).
 */
export function refusalOf(e: unknown, topic: string): CoplayError | undefined {
  if (!isCoplayError(e)) {
    return new CoplayError('PUBLISH_REFUSED', `the broker refused ${topic}`, { cause: e, details: { topic } });
  }
  if (FATAL.has(e.code)) return e;
  const rc = reasonCodeOf(e);
  if (e.code === 'PUBLISH_FAILED' && rc !== undefined && rc >= 0x80) {
    return new CoplayError('PUBLISH_REFUSED', `the broker refused a publish to ${topic} (reason 0x${rc.toString(16)})`, {
      cause: e,
      details: { topic, reasonCode: rc },
    });
  }
  return undefined;
}
