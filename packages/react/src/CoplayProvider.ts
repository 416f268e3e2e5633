import { createConnection, goodbyes, type Connection, type ConnectionOptions } from '@coplay/core';
import { createElement, useEffect, useRef, useState, type ReactNode } from 'react';
import { CoplayContext } from './CoplayContext';

/** Props of {@link CoplayProvider}: a connection to share, or options for one the provider owns. */
export type CoplayProviderProps = { children?: ReactNode } & (
  | { connection: Connection; options?: undefined }
  | { options: ConnectionOptions; connection?: undefined }
);

const own = (options: ConnectionOptions) => createConnection({ ...options, autoConnect: false });

/**
 * Makes a connection available to the coplay hooks below it.
 *
 * With `connection`, that connection is shared and left open on unmount. With `options`, the
 * provider creates one connection (created idle, so server rendering opens no socket), connects
 * it after mounting and closes it on unmount, after the rooms below it have said goodbye.
 * StrictMode's unmount/remount reuses it. Options are read once: give the provider a new `key`
 * to start over with new ones.
 */
export function CoplayProvider(props: CoplayProviderProps): ReactNode {
  const [owned, setOwned] = useState(() => (props.connection ? undefined : own(props.options)));
  const cancelClose = useRef<() => void>(undefined);
  const closed = useRef(false);
  const options = useRef(props.options);
  useEffect(() => {
    if (!owned) return;
    cancelClose.current?.();
    if (closed.current) {
      // Remounted after a real close (e.g. React <Activity>): a closed connection cannot reopen.
      closed.current = false;
      setOwned(own(options.current!));
      return;
    }
    owned.connect();
    return () => {
      cancelClose.current = goodbyes.later(() => {
        closed.current = true;
        return goodbyes.closeLast(owned);
      });
    };
  }, [owned]);
  return createElement(CoplayContext.Provider, { value: props.connection ?? owned }, props.children);
}
