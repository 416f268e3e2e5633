import type { ReconnectOptions } from './types';

/** Reconnect options with every default filled in. */
export type ResolvedReconnectOptions = Required<ReconnectOptions>;

/** Defaults: 0.5 s doubling to 30 s, full jitter, unlimited attempts, reset after 10 s up. */
export const DEFAULT_RECONNECT: ResolvedReconnectOptions = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  multiplier: 2,
  jitter: 1,
  maxAttempts: Number.POSITIVE_INFINITY,
  resetAfterMs: 10_000,
  connectTimeoutMs: 10_000,
};

/**
 * Delay before retry number `retry` (1-based): `initial × multiplier^(retry-1)`, capped at `max`,
 * then jittered down by up to `jitter` of itself. Full jitter (1) spreads clients that lost the
 * same broker at once, so they don't all come back in the same millisecond.
 */
export function backoffDelay(retry: number, options: ResolvedReconnectOptions, random: () => number): number {
  const exp = options.initialDelayMs * Math.pow(options.multiplier, Math.max(0, retry - 1));
  const capped = Math.min(options.maxDelayMs, exp);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(capped * (1 - options.jitter * r));
}
