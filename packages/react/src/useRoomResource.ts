import { useEffect, useRef, useState } from 'react';

interface Held<R> {
  readonly resource: R;
  readonly key: string;
  closing?: ReturnType<typeof setTimeout>;
}

/**
 * Opens a resource after mounting (never on the server) and closes it on unmount or when `key`
 * changes. Closing waits for the next task, so StrictMode's immediate remount gets the same
 * resource back instead of a close and a reopen.
 */
export function useRoomResource<R>(open: () => R, close: (resource: R) => unknown, deps: readonly unknown[], key: string): R | undefined {
  const [resource, setResource] = useState<R>();
  const held = useRef<Held<R>>(undefined);
  useEffect(() => {
    let h = held.current;
    if (h && h.closing !== undefined && h.key === key) {
      clearTimeout(h.closing);
      h.closing = undefined;
    } else {
      h = held.current = { resource: open(), key };
    }
    const mine = h;
    setResource(() => mine.resource);
    return () => {
      mine.closing = setTimeout(() => {
        if (held.current === mine) held.current = undefined;
        void close(mine.resource);
      });
    };
  }, [...deps, key]);
  return resource;
}
