import type { ReconnectOptions } from './types';

/** Reconnect options with every default filled in. */
export type ResolvedReconnectOptions = Required<ReconnectOptions>;

/** No reconnect delay is shorter than this (ms): smaller `initialDelayMs`, `maxDelayMs`, `earlyMaxDelayMs` and jittered delays are raised to it. */
export const MIN_RECONNECT_DELAY_MS = 50;

/**
 * Defaults, tuned for interactive play: 0.5 s doubling, but capped at 1 s during the first 20 s of an
 * outage (a broker that restarts is found again within about a second), then at 30 s; full jitter,
 * unlimited attempts, reset after 10 s up.
 */
export const DEFAULT_RECONNECT: ResolvedReconnectOptions = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  multiplier: 2,
  jitter: 1,
  maxAttempts: Number.POSITIVE_INFINITY,
  resetAfterMs: 10_000,
  connectTimeoutMs: 10_000,
  earlyMaxDelayMs: 1000,
  earlyPhaseMs: 20_000,
  kickLoopLinks: 4,
};

/**
 * Delay before retry number `retry` (1-based): `initial × multiplier^(retry-1)`, capped at `cap`
 * (default `maxDelayMs`), then jittered down by up to `jitter` of itself, and never below
 * {@link MIN_RECONNECT_DELAY_MS}. Full jitter (1) spreads clients that lost the same broker at once,
 * so they don't all come back in the same millisecond.
 */
export function backoffDelay(retry: number, options: ResolvedReconnectOptions, random: () => number, cap = options.maxDelayMs): number {
  const exp = options.initialDelayMs * Math.pow(options.multiplier, Math.max(0, retry - 1));
  const capped = Math.min(cap, options.maxDelayMs, exp);
  const drawn = Number(random());
  // A broken random source (NaN, out of range) must not become a NaN delay.
  const r = drawn >= 0 && drawn <= 1 ? drawn : drawn > 1 ? 1 : 0;
  return Math.max(MIN_RECONNECT_DELAY_MS, Math.round(capped * (1 - options.jitter * r)));
}
