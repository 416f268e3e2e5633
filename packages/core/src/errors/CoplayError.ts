/** Every error code coplay raises. Codes are stable; messages are for humans. */
export type CoplayErrorCode =
  // input validation
  | 'INVALID_URL'
  | 'INVALID_TOPIC'
  | 'INVALID_FILTER'
  | 'INVALID_OPTIONS'
  | 'INVALID_PAYLOAD'
  | 'INVALID_ID'
  | 'DECODE_FAILED'
  // queue and lifecycle
  | 'QUEUE_FULL'
  | 'OFFLINE'
  | 'CLOSED'
  | 'NO_CONNECTION'
  // connection
  | 'CONNECT_FAILED'
  | 'CONNECTION_LOST'
  | 'KEEPALIVE_TIMEOUT'
  | 'AUTH_REFUSED'
  | 'KICKED'
  | 'PUBLISH_FAILED'
  | 'SUBSCRIBE_FAILED'
  | 'PUBLISH_REFUSED'
  // broker profile (what the broker would refuse or drop)
  | 'TOPIC_TOO_LONG'
  | 'PAYLOAD_TOO_LARGE'
  | 'QOS_NOT_SUPPORTED'
  | 'RETAIN_NOT_SUPPORTED'
  | 'WILL_NOT_SUPPORTED'
  | 'PROTOCOL_NOT_SUPPORTED'
  | 'INVALID_CLIENT_ID'
  // credentials
  | 'CREDENTIALS_FAILED'
  | 'TOKEN_HTTP'
  | 'TOKEN_REFUSED'
  | 'TOKEN_RESPONSE'
  | 'TOKEN_TIMEOUT'
  | 'TOKEN_NETWORK'
  // rooms
  | 'ROOM_CLOSED'
  | 'JOIN_TIMEOUT'
  | 'INVALID_INVITE'

/**
 * The one error type coplay throws or reports. Switch on `code`, not on the message.
 *
 * @example
 * try { conn.publish('a/+', 'x') } catch (e) { if (isCoplayError(e, 'INVALID_TOPIC')) ... }
 */
export class CoplayError extends Error {
  override readonly name = 'CoplayError';
  /** Stable machine-readable code. */
  readonly code: CoplayErrorCode;
  /** HTTP status, for errors from a token endpoint. */
  readonly status?: number;
  /** Extra details (server message, MQTT reason code, ...). */
  readonly details?: Record<string, unknown>;

  constructor(
    code: CoplayErrorCode,
    message: string,
    init: { cause?: unknown; status?: number | undefined; details?: Record<string, unknown> | undefined } = {},
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    if (init.status !== undefined) this.status = init.status;
    if (init.details !== undefined) this.details = init.details;
  }
}

/** Narrows `e` to a {@link CoplayError}, optionally of one `code`. */
export function isCoplayError(e: unknown, code?: CoplayErrorCode): e is CoplayError {
  return e instanceof CoplayError && (code === undefined || e.code === code);
}
