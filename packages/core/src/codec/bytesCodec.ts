import { CoplayError } from '../errors/CoplayError';
import type { Codec } from './Codec';
import { isUint8Array } from '../util/isUint8Array';

/** Payloads as they come: `Uint8Array` in, `Uint8Array` out. The default codec. */
export const bytesCodec: Codec<Uint8Array> = {
  encode(value) {
    if (!isUint8Array(value)) {
      throw new CoplayError('INVALID_PAYLOAD', 'bytesCodec encodes Uint8Array values only');
    }
    return value;
  },
  decode: (bytes) => bytes,
};
