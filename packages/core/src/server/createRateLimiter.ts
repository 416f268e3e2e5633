import { CoplayError } from '../errors/CoplayError';

/** A fixed-window limit on token requests. */
export interface RateLimitOptions {
  /** Requests allowed per key and window. */
  max: number;
  /** Window length in ms. */
  windowMs: number;
  /** The key to count by. Default: the authorized username. */
  key?: (request: Request, grant: { username: string; deviceId?: string }) => string;
}

/** Counts hits per key; `hit` returns ms to wait when over the limit, else `undefined`. */
export interface RateLimiter {
  hit(request: Request, grant: { username: string; deviceId?: string }): number | undefined;
}

/**
 * In-memory fixed-window limiter. No timers (edge runtimes freeze them): expired windows are swept
 * lazily, at most once per window. Per process: put a shared limiter in front when you scale out.
 */
export function createRateLimiter(options: RateLimitOptions, now: () => number): RateLimiter {
  const { max, windowMs } = options;
  if (!(max >= 1) || !(windowMs > 0)) {
    throw new CoplayError('INVALID_OPTIONS', 'rateLimit needs max >= 1 and windowMs > 0');
  }
  const key = options.key ?? ((_request, grant) => grant.username);
  const windows = new Map<string, { count: number; resetAt: number }>();
  let sweepAt = now() + windowMs;

  return {
    hit(request, grant) {
      const t = now();
      if (t >= sweepAt) {
        for (const [k, w] of windows) if (t >= w.resetAt) windows.delete(k);
        sweepAt = t + windowMs;
      }
      const k = key(request, grant);
      let w = windows.get(k);
      if (!w || t >= w.resetAt) {
        w = { count: 0, resetAt: t + windowMs };
        windows.set(k, w);
      }
      if (w.count >= max) return w.resetAt - t;
      w.count += 1;
      return undefined;
    },
  };
}
