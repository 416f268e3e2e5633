import { CoplayError } from '../errors/CoplayError';

const MAX_TOPIC_BYTES = 65535;
const encoder = new TextEncoder();

function checkCommon(value: unknown, kind: 'topic' | 'filter'): asserts value is string {
  const code = kind === 'topic' ? 'INVALID_TOPIC' : 'INVALID_FILTER';
  if (typeof value !== 'string') throw new CoplayError(code, `MQTT ${kind} must be a string, got ${typeof value}`);
  if (value.length === 0) throw new CoplayError(code, `MQTT ${kind} must not be empty`);
  if (value.includes('\u0000')) throw new CoplayError(code, `MQTT ${kind} must not contain U+0000: ${JSON.stringify(value)}`);
  // UTF-8 takes at most 3 bytes per UTF-16 code unit: a short topic needs no encoding (every publish checks).
  if (value.length * 3 > MAX_TOPIC_BYTES && encoder.encode(value).length > MAX_TOPIC_BYTES) {
    throw new CoplayError(code, `MQTT ${kind} is longer than ${MAX_TOPIC_BYTES} bytes`);
  }
}

/**
 * Throws `INVALID_TOPIC` unless `topic` is a valid topic name to publish to (no wildcards).
 */
export function validateTopic(topic: unknown): asserts topic is string {
  checkCommon(topic, 'topic');
  if (/[+#]/.test(topic)) {
    throw new CoplayError('INVALID_TOPIC', `cannot publish to a topic with wildcards: ${JSON.stringify(topic)}`);
  }
}

/**
 * Throws `INVALID_FILTER` unless `filter` is a valid subscription filter:
 * `+` must fill a whole level, `#` must be the last level.
 */
export function validateFilter(filter: unknown): asserts filter is string {
  checkCommon(filter, 'filter');
  const levels = filter.split('/');
  levels.forEach((level, i) => {
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) {
      throw new CoplayError('INVALID_FILTER', `'#' must be the whole last level of a filter: ${JSON.stringify(filter)}`);
    }
    if (level.includes('+') && level !== '+') {
      throw new CoplayError('INVALID_FILTER', `'+' must be a whole level of a filter: ${JSON.stringify(filter)}`);
    }
  });
}
