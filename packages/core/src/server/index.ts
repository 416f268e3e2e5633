export { createTokenHandler } from './createTokenHandler';
export type {
  TokenGrant,
  TokenHandler,
  TokenHandlerErrorCode,
  TokenHandlerOptions,
  TokenRequestBody,
  TokenResponseBody,
} from './createTokenHandler';
export type { RateLimitOptions } from './createRateLimiter';
