import { CoplayError, isCoplayError } from '../errors/CoplayError';
import type { Codec } from './Codec';
import { decodeFailed } from './decodeFailed';
import { textCodec } from './textCodec';

/**
 * JSON over UTF-8.
 *
 * @param parse Checks (and may convert) a parsed value, throwing when it is not a `T`; a schema's
 *   `parse` fits (`jsonCodec(Score.parse)`). Without it the parsed value is trusted as `T`.
 * @example
 * const scores = liveTopic(conn, 'game/score', { codec: jsonCodec<Score>() });
 */
export function jsonCodec<T = unknown>(parse?: (value: unknown) => T): Codec<T> {
  return {
    encode(value) {
      let text: string | undefined;
      try {
        text = JSON.stringify(value);
      } catch (cause) {
        throw new CoplayError('INVALID_PAYLOAD', 'value cannot be written as JSON', { cause });
      }
      // JSON.stringify returns undefined for undefined, functions and symbols.
      if (text === undefined) throw new CoplayError('INVALID_PAYLOAD', 'value cannot be written as JSON');
      return text;
    },
    decode(bytes) {
      const text = textCodec.decode(bytes);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (cause) {
        throw decodeFailed('payload is not valid JSON', bytes, cause);
      }
      if (!parse) return value as T;
      try {
        return parse(value);
      } catch (cause) {
        if (isCoplayError(cause, 'DECODE_FAILED')) throw cause;
        throw decodeFailed('payload does not match the expected shape', bytes, cause);
      }
    },
  };
}
