import type { Server } from 'node:net';

/** A listener could not bind; `message` says which port and which variable moves it. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly port: number,
    readonly host: string,
    /** The environment variable that configures this port. */
    readonly variable: string,
    /** What listens there, for the message ("the page server", ...). */
    readonly what: string,
  ) {
    super(
      `${host}:${port} is already in use, so ${what} cannot start. ` +
        `Stop whatever uses it, or pick another port with ${variable}=<port> (0 picks a free one).`,
    );
  }
}

/**
 * Listens on host:port and resolves with the bound port. EADDRINUSE/EACCES become a
 * {@link PortInUseError} so the dev script can print one line instead of a stack trace.
 */
export function listen(server: Server, port: number, host: string, variable: string, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(err.code === 'EADDRINUSE' || err.code === 'EACCES' ? new PortInUseError(port, host, variable, what) : err);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host, exclusive: true });
  });
}

/** Closes a server, resolving even if it was not listening. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
