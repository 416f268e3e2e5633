// Vue-specific test helpers shared by this package's tests (not exported from index.ts). The
// framework-neutral ones (broker fixture, parity table, ...) live in @coplay/testkit.
import type { Connection } from '@coplay/core';
import { createApp, effectScope } from 'vue';
import { CoplayPlugin } from './CoplayPlugin';

/** Runs `fn` in a detached effect scope of an app that provides `conn`; stopping `scope` ends what it started. */
export function inScope<T>(conn: Connection, fn: () => T) {
  const app = createApp({}).use(CoplayPlugin, { connection: conn });
  const scope = effectScope(true);
  const result = app.runWithContext(() => scope.run(fn)!);
  return { result, scope };
}
