/**
 * A listener of the embedded broker could not bind its port. Says which listener, so a caller with
 * fixed ports (the demo) can tell the user which setting to change.
 */
export class BrokerListenError extends Error {
  override readonly name = 'BrokerListenError';
  constructor(
    /** `'tcp'` for MQTT over TCP, `'ws'` for MQTT over WebSocket. */
    readonly listener: 'tcp' | 'ws',
    readonly host: string,
    /** The port asked for (0 = ephemeral). */
    readonly port: number,
    /** Node's error code: `'EADDRINUSE'`, `'EACCES'`, ... */
    readonly code: string | undefined,
    cause: unknown,
  ) {
    super(
      `startBroker: cannot listen for MQTT over ${listener === 'ws' ? 'WebSocket' : 'TCP'} on ${host}:${port}` +
        ` (${code ?? (cause instanceof Error ? cause.message : String(cause))})`,
      { cause },
    );
  }
}
