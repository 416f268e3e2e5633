// jsdom's WebSocket (built on undici) fails under vitest ("The event argument must be an instance of
// Event"), and MQTT.js sees a browser here, so it only speaks ws:// through the global WebSocket.
// `ws` is a real, spec-compatible WebSocket client: the tests still talk to a real broker socket.
import { WebSocket } from 'ws';

globalThis.WebSocket = WebSocket as unknown as typeof globalThis.WebSocket;
