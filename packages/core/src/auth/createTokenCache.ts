import type { SchedulerLike } from 'rxjs';
import { CoplayError, isCoplayError } from '../errors/CoplayError';
import { createLive } from '../store/createLive';
import type { Live } from '../store/Live';

/** The state of a cached token, for UIs and logs. */
export type TokenState =
  | { readonly status: 'empty' }
  | { readonly status: 'fetching'; readonly expiresAt?: number }
  | { readonly status: 'valid'; readonly expiresAt?: number }
  | { readonly status: 'error'; readonly error: CoplayError };

/** Just the `status` of a {@link TokenState}. */
export type TokenStatus = TokenState['status'];

/** What a cache's `fetch` resolves to. */
export interface TokenFetchResult<T> {
  credentials: T;
  /** Epoch ms after which the value must not be used. Omitted: valid until {@link TokenCache.invalidate}. */
  expiresAt?: number;
}

/** Options of {@link createTokenCache}. */
export interface TokenCacheOptions<T> {
  /** Fetches a fresh value. Called at most once at a time (single-flight). */
  fetch: (signal: AbortSignal) => Promise<TokenFetchResult<T>>;
  /**
   * Renew this long before `expiresAt`, so a token is never handed out just before it lapses
   * (e.g. while a CONNECT is in flight). Clamped to half the token's lifetime, so short-lived
   * tokens are still reused. Default 60 000 ms.
   */
  refreshMarginMs?: number;
  /** Clock in epoch ms. Default: `scheduler.now()` if a scheduler is given, else `Date.now`. */
  now?: () => number;
  /** Alternative clock source (e.g. a `VirtualTimeScheduler` in tests). */
  scheduler?: SchedulerLike;
}

/** Options of {@link TokenCache.get}. */
export interface TokenGetOptions {
  /** Drop the cached value first (the broker refused it). Joins a fetch that is already running. */
  refresh?: boolean;
  /** Stops waiting; the shared fetch is aborted only when every waiter has given up. */
  signal?: AbortSignal;
}

/**
 * A cache for one expiring value (a token or credentials): single-flight, renewed ahead of expiry,
 * with its state as an observable.
 */
export interface TokenCache<T> {
  /** The cached value if still fresh, else the result of one shared fetch. Rejects with a {@link CoplayError}. */
  get(options?: TokenGetOptions): Promise<T>;
  /**
   * Drops the cached value; the next {@link get} fetches. A fetch already running is not affected.
   * With `value`, drops it only if it is still the cached one — so many callers that saw the same
   * token refused cause one renewal, not one each.
   */
  invalidate(value?: T): void;
  /** Token state for UIs and logs: `state.value` now, `state.value$` replays it and every change. */
  readonly state: Live<TokenState>;
}

interface Flight<T> {
  readonly promise: Promise<T>;
  readonly controller: AbortController;
  waiters: number;
}

const DEFAULT_MARGIN_MS = 60_000;

/** Wraps anything a fetch threw into a {@link CoplayError}. */
function toCoplayError(e: unknown): CoplayError {
  if (isCoplayError(e)) return e;
  return new CoplayError('CREDENTIALS_FAILED', `Fetching credentials failed: ${e instanceof Error ? e.message : String(e)}`, {
    cause: e,
  });
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new CoplayError('CLOSED', 'Credentials request aborted');
}

/**
 * Creates a {@link TokenCache}.
 *
 * - Single-flight: concurrent `get()` calls share one `fetch`.
 * - A value is reused until `expiresAt - refreshMarginMs`; after that `get()` fetches a new one.
 * - Failures are not cached: the next `get()` tries again. `state` shows the last error.
 *
 * @example
 * const cache = createTokenCache({ fetch: async (signal) => ({ credentials: await login(signal), expiresAt }) });
 * const token = await cache.get();
 */
export function createTokenCache<T>(options: TokenCacheOptions<T>): TokenCache<T> {
  const margin = options.refreshMarginMs ?? DEFAULT_MARGIN_MS;
  if (!(margin >= 0)) throw new CoplayError('INVALID_OPTIONS', 'refreshMarginMs must be a number >= 0');
  const scheduler = options.scheduler;
  const now = options.now ?? (scheduler ? () => scheduler.now() : Date.now);
  const live = createLive<TokenState>({ status: 'empty' });
  const state = { get value() { return live.live.value; }, next: (v: TokenState) => live.set(v) };

  let cached: { value: T; expiresAt?: number; staleAt: number } | undefined;
  let flight: Flight<T> | undefined;

  const fresh = () => cached !== undefined && now() < cached.staleAt;

  function start(): Flight<T> {
    const controller = new AbortController();
    const previous = state.value;
    state.next(
      previous.status === 'valid' && previous.expiresAt !== undefined
        ? { status: 'fetching', expiresAt: previous.expiresAt }
        : { status: 'fetching' },
    );
    const fetchedAt = now();
    const promise = (async () => {
      try {
        const result = await options.fetch(controller.signal);
        const { credentials, expiresAt } = result;
        if (expiresAt !== undefined && !Number.isFinite(expiresAt)) {
          throw new CoplayError('TOKEN_RESPONSE', 'Credentials came with an invalid expiry');
        }
        const lifetime = expiresAt === undefined ? Infinity : expiresAt - fetchedAt;
        const staleAt = expiresAt === undefined ? Infinity : expiresAt - Math.min(margin, Math.max(0, lifetime) / 2);
        cached = expiresAt === undefined ? { value: credentials, staleAt } : { value: credentials, expiresAt, staleAt };
        state.next(expiresAt === undefined ? { status: 'valid' } : { status: 'valid', expiresAt });
        return credentials;
      } catch (e) {
        if (controller.signal.aborted) {
          // Every waiter gave up (e.g. the connection closed): not a failure worth showing.
          if (!flight) state.next({ status: 'empty' });
          throw abortError(controller.signal);
        }
        const error = toCoplayError(e);
        state.next({ status: 'error', error });
        throw error;
      } finally {
        if (flight?.controller === controller) flight = undefined;
      }
    })();
    // Waiters each attach their own handlers; this one keeps an abandoned flight from being "unhandled".
    promise.catch(() => undefined);
    return { promise, controller, waiters: 0 };
  }

  function join(current: Flight<T>, signal: AbortSignal | undefined): Promise<T> {
    if (!signal) {
      current.waiters += 1;
      return current.promise.finally(() => {
        current.waiters -= 1;
      });
    }
    if (signal.aborted) return Promise.reject(abortError(signal));
    current.waiters += 1;
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const leave = () => {
        if (done) return;
        done = true;
        current.waiters -= 1;
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        leave();
        // Nobody else wants the result: stop the HTTP request too, and let the next get() start afresh.
        if (current.waiters === 0) {
          if (flight === current) flight = undefined;
          current.controller.abort(signal.reason);
        }
        reject(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      current.promise.then(
        (v) => {
          leave();
          resolve(v);
        },
        (e: unknown) => {
          leave();
          reject(e);
        },
      );
    });
  }

  return {
    get(getOptions = {}) {
      if (getOptions.signal?.aborted) return Promise.reject(abortError(getOptions.signal));
      if (flight) return join(flight, getOptions.signal);
      if (getOptions.refresh) cached = undefined;
      if (fresh()) return Promise.resolve(cached!.value);
      flight = start();
      return join(flight, getOptions.signal);
    },
    invalidate(...args: [value?: T]) {
      if (args.length > 0 && (cached === undefined || cached.value !== args[0])) return;
      cached = undefined;
      if (!flight && state.value.status === 'valid') state.next({ status: 'empty' });
    },
    state: live.live,
  };
}
