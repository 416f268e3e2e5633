// MQTT.js takes jsdom for a browser, so it only speaks ws:// through the global WebSocket, and
// jsdom's (built on undici) fails under vitest ("The event argument must be an instance of Event").
// `ws` is a real, spec-compatible WebSocket client: the tests still talk to a real broker socket.
import { WebSocket } from 'ws';

globalThis.WebSocket = WebSocket as unknown as typeof globalThis.WebSocket;

// vitest's jsdom environment installs jsdom's typed-array constructors as globals, while the
// payloads MQTT.js hands out here are Node Buffers from Node's realm, so `payload instanceof
// Uint8Array` would be false, which cannot happen in a browser (one realm). Restore Node's.
globalThis.Uint8Array = Object.getPrototypeOf(Buffer.prototype).constructor as typeof Uint8Array;
globalThis.ArrayBuffer = Buffer.alloc(1).buffer.constructor as typeof ArrayBuffer;
