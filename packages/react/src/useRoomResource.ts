import { useEffect, useRef, useState } from 'react';

interface Held<R> {
  readonly resource: R;
  readonly deps: readonly unknown[];
  closing?: ReturnType<typeof setTimeout>;
}

/**
 * Opens a resource after mounting (never on the server) and closes it on unmount or when `deps`
 * change (before opening the next, so messages stay ordered). Closing on unmount waits for the
 * next task, so StrictMode's immediate remount gets the same resource back instead of a close and
 * a reopen.
 */
export function useRoomResource<R>(open: () => R, close: (resource: R) => unknown, deps: readonly unknown[]): R | undefined {
  const [resource, setResource] = useState<R>();
  const held = useRef<Held<R>>(undefined);
  useEffect(() => {
    let h = held.current;
    if (h?.closing !== undefined) clearTimeout(h.closing);
    if (h && h.deps.every((d, i) => d === deps[i])) {
      h.closing = undefined;
    } else {
      if (h) void close(h.resource);
      h = held.current = { resource: open(), deps };
    }
    const mine = h;
    setResource(() => mine.resource);
    return () => {
      mine.closing = setTimeout(() => {
        if (held.current === mine) held.current = undefined;
        void close(mine.resource);
      });
    };
  }, deps);
  return resource;
}
