/**
 * `@coplay/core/server`: see its README for a guide. (Entry point of the API reference; `npm run docs`.)
 * @module @coplay/core/server
 */
export * from '../../packages/core/src/server/index';
