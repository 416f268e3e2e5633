import { useInsertionEffect, useRef, type RefObject } from 'react';

/**
 * A ref holding the latest committed `value`, for callbacks that must not resubscribe when they
 * change. Insertion effects run first in the commit, and not at all (nor warn) on the server.
 */
export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value);
  useInsertionEffect(() => {
    ref.current = value;
  });
  return ref;
}
