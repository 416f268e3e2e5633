/**
 * `@coplay/core`: see its README for a guide. (Entry point of the API reference; `npm run docs`.)
 * @module @coplay/core
 */
export * from '../../packages/core/src/index';
