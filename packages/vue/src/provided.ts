import { createConnection, goodbyes } from '@coplay/core';
import type { Provided } from './coplayKey';
import type { CoplaySource } from './CoplaySource';

/**
 * What to provide for `source`, and for an owned connection (created idle, so server rendering
 * opens no socket) the function that closes it once the rooms on it have said goodbye.
 */
export function provided(source: CoplaySource): [Provided, (() => void) | undefined] {
  if (source.connection) return [{ connection: source.connection }, undefined];
  const owned = createConnection({ ...source.options, autoConnect: false });
  // Vue tears the provider down before the components below it: wait a task for their goodbyes.
  return [{ connection: owned, start: () => owned.connect() }, () => void goodbyes.later(() => goodbyes.closeLast(owned))];
}
