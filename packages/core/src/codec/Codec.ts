/**
 * Turns values into MQTT payloads and back.
 *
 * `decode` throws a {@link CoplayError} with code `DECODE_FAILED` for bytes it cannot read;
 * coplay's readers ({@link liveTopic}, the React/Vue hooks) count and skip such messages.
 * `encode` throws `INVALID_PAYLOAD` for values it cannot write.
 */
export interface Codec<T> {
  /** The payload to publish for `value`; throws `INVALID_PAYLOAD` for a value it cannot write. */
  encode(value: T): Uint8Array | string;
  /** The value in a received payload; throws `DECODE_FAILED` for bytes it cannot read. */
  decode(bytes: Uint8Array): T;
}
