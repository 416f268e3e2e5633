/**
 * `@coplay/react`: see its README for a guide. (Entry point of the API reference; `npm run docs`.)
 * @module @coplay/react
 */
export * from '../../packages/react/src/index';
