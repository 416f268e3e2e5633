import { CoplayError } from '../errors/CoplayError';

/** The error a codec throws for bytes it cannot read; `details.bytes` is the payload length. */
export function decodeFailed(message: string, bytes: Uint8Array, cause?: unknown): CoplayError {
  return new CoplayError('DECODE_FAILED', message, { cause, details: { bytes: bytes.byteLength } });
}
