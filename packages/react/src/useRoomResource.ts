import { goodbyes, type Connection } from '@coplay/core';
import { useEffect, useRef, useState } from 'react';
import { useLatest } from './useLatest';

interface Held<R> {
  readonly resource: R;
  readonly key: string;
  cancelClose?: (() => void) | undefined;
}

/**
 * Opens a resource on `connection` after mounting (never on the server) and closes it on unmount
 * or when `key` changes (the old one before the new one opens, so messages stay ordered). Closing
 * on unmount waits for the next task, so StrictMode's immediate remount gets the same resource
 * back; every close counts as a goodbye the provider waits for before closing its connection.
 */
export function useRoomResource<R>(
  connection: Connection,
  key: string,
  open: () => R,
  close: (resource: R) => Promise<unknown>,
): R | undefined {
  const [resource, setResource] = useState<R>();
  const held = useRef<Held<R>>(undefined);
  // The key is the identity: `open` and `close` may be new functions on every render.
  const latest = useLatest({ open, close });
  useEffect(() => {
    const { open, close } = latest.current;
    let h = held.current;
    h?.cancelClose?.();
    if (h?.key === key) {
      h.cancelClose = undefined;
    } else {
      if (h) goodbyes.track(connection, close(h.resource));
      h = held.current = { resource: open(), key };
    }
    const mine = h;
    setResource(() => mine.resource);
    return () => {
      mine.cancelClose = goodbyes.later(() => {
        if (held.current === mine) held.current = undefined;
        return close(mine.resource);
      }, connection);
    };
  }, [connection, key, latest]);
  return resource;
}
