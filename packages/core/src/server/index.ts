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
export { toNodeHandler } from './toNodeHandler';
export type { NodeHandlerOptions } from './toNodeHandler';
