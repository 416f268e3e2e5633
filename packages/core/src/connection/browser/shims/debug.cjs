/* global module */
'use strict';
// `debug` for the browser build: MQTT.js and mqtt-packet only create loggers (`require('debug')(name)`)
// and call them, and the browser bundle never enables them. A no-op logger keeps the calls and drops
// `debug` (~3 kB). CommonJS because its users `require` it and call the module itself.
function noop() {}
module.exports = function debug() {
  return noop;
};
