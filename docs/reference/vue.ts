/**
 * `@coplay/vue`: see its README for a guide. (Entry point of the API reference; `npm run docs`.)
 * @module @coplay/vue
 */
export * from '../../packages/vue/src/index';
