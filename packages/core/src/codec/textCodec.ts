import { CoplayError } from '../errors/CoplayError';
import type { Codec } from './Codec';
import { decodeFailed } from './decodeFailed';

// `fatal` makes malformed UTF-8 an error instead of silently turning it into U+FFFD.
const decoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 text. Malformed UTF-8 fails with `DECODE_FAILED`. */
export const textCodec: Codec<string> = {
  encode(value) {
    if (typeof value !== 'string') {
      throw new CoplayError('INVALID_PAYLOAD', 'textCodec encodes strings only');
    }
    return value;
  },
  decode(bytes) {
    try {
      return decoder.decode(bytes);
    } catch (cause) {
      throw decodeFailed('payload is not valid UTF-8', bytes, cause);
    }
  },
};
