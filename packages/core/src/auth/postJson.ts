import ky, { isHTTPError, isTimeoutError } from 'ky';
import { CoplayError } from '../errors/CoplayError';

/** Retry of token HTTP calls: exponential backoff with full jitter, for network errors and 5xx only. */
export interface HttpRetryOptions {
  /** Retries after the first try. Default 2. */
  limit?: number;
  /** Base delay, doubled per retry. Default 300 ms. */
  delayMs?: number;
  /** Cap for one delay (also for a server's `Retry-After`). Default 3000 ms. */
  maxDelayMs?: number;
}

export interface PostJsonOptions {
  url: string;
  json?: unknown;
  headers?: HeadersInit;
  timeoutMs: number;
  /** A number is the retry limit; `false` disables retries. */
  retry: HttpRetryOptions | number | false | undefined;
  signal?: AbortSignal;
  fetch?: typeof globalThis.fetch;
  credentials?: RequestCredentials;
  /** Named in errors, e.g. `'app-token'`. */
  endpoint: string;
}

export interface PostJsonResponse {
  status: number;
  /** Parsed JSON body, or `undefined` when the body was not JSON. */
  data: unknown;
  /** Whether the body parsed as JSON. */
  json: boolean;
}

function retryOptions(retry: PostJsonOptions['retry']) {
  if (retry === false) return { limit: 0 };
  const o = typeof retry === 'number' ? { limit: retry } : (retry ?? {});
  const base = o.delayMs ?? 300;
  const max = o.maxDelayMs ?? 3000;
  return {
    limit: o.limit ?? 2,
    // POST is not retried by default in ky; token calls are idempotent enough (a lost token is harmless).
    methods: ['post'],
    delay: (attempt: number) => base * 2 ** (attempt - 1),
    jitter: true,
    backoffLimit: max,
    maxRetryAfter: max,
    retryOnTimeout: false,
    shouldRetry: ({ error }: { error: Error }) => {
      if (isHTTPError(error)) return error.response.status >= 500;
      if (isTimeoutError(error) || error.name === 'AbortError') return false;
      return true; // network error (fetch's TypeError)
    },
  };
}

async function readBody(response: Response): Promise<PostJsonResponse> {
  const text = await response.text();
  try {
    return { status: response.status, data: text === '' ? undefined : (JSON.parse(text) as unknown), json: text !== '' };
  } catch {
    return { status: response.status, data: undefined, json: false };
  }
}

/**
 * POSTs JSON through ky with a timeout and retries, and returns the final status and parsed body
 * of ANY HTTP answer (including 4xx/5xx once retries are spent). Throws a {@link CoplayError}
 * `TOKEN_TIMEOUT` / `TOKEN_NETWORK`, or rethrows the caller's abort reason.
 *
 * ky's own errors are never attached as `cause`: they carry the request options, secrets included.
 */
export async function postJson(options: PostJsonOptions): Promise<PostJsonResponse> {
  const { endpoint } = options;
  try {
    const response = await ky.post(options.url, {
      ...(options.json === undefined ? {} : { json: options.json }),
      ...(options.headers === undefined ? {} : { headers: options.headers }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      timeout: options.timeoutMs,
      retry: retryOptions(options.retry),
      throwHttpErrors: true,
    });
    return await readBody(response);
  } catch (e) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (isHTTPError(e)) return readBody(e.response);
    if (isTimeoutError(e)) {
      throw new CoplayError('TOKEN_TIMEOUT', `Token request (${endpoint}) timed out after ${options.timeoutMs} ms`, {
        details: { endpoint, timeoutMs: options.timeoutMs },
      });
    }
    const reason = e instanceof Error ? e.message : String(e);
    const cause = e instanceof Error && e.cause !== undefined ? e.cause : undefined;
    throw new CoplayError('TOKEN_NETWORK', `Token request (${endpoint}) failed: ${reason}`, {
      details: { endpoint, reason },
      ...(cause === undefined ? {} : { cause }),
    });
  }
}
