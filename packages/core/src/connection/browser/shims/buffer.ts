/** The `Buffer` global MQTT.js's modules read in the browser build (esbuild `inject`): the `buffer` package. */
export { Buffer } from 'buffer';
