import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Duplex } from 'node:stream';
import type WebSocket from 'ws';
import type { createWebSocketStream } from 'ws';

type WsModule = typeof WebSocket & { createWebSocketStream: typeof createWebSocketStream };
let wsModule: WsModule | null | undefined;

/**
 * `ws`, loaded synchronously and only in Node: a static import would put `ws` (or its browser stub)
 * in every browser bundle and break pages that load coplay through an import map. Needs
 * `process.getBuiltinModule` (Node ≥ 20.16, Bun, Deno); `null` without it: the link then keeps
 * MQTT.js's own framing.
 */
function loadWs(): WsModule | null {
  if (wsModule !== undefined) return wsModule;
  try {
    // Not `require`: bundlers rewrite that name. `__filename` in the CommonJS build, `import.meta.url` in ESM.
    const from = typeof __filename === 'string' ? __filename : import.meta.url;
    const req = (process as { getBuiltinModule?: (id: string) => { createRequire(from: string): (id: string) => unknown } | undefined })
      .getBuiltinModule?.('node:module')
      ?.createRequire(from);
    wsModule = (req?.('ws') as WsModule | undefined) ?? null;
  } catch {
    wsModule = null;
  }
  return wsModule;
}

/** True for `ws:` / `wss:` broker URLs in Node, where `ws` loads (browsers already send one frame per packet). */
export function wantsWholePacketWebSocket(url: string): boolean {
  return (
    /^wss?:\/\//i.test(url) &&
    typeof process !== 'undefined' &&
    typeof process.versions?.node === 'string' &&
    typeof window === 'undefined' &&
    loadWs() !== null
  );
}

/**
 * Opens an MQTT.js client over a WebSocket that carries each MQTT packet in one frame (Node).
 *
 * Why: in Node, MQTT.js wraps its `ws` socket in `ws.createWebSocketStream`, which sends every chunk
 * MQTT.js writes as its own frame: a QoS 0 PUBLISH leaves as 5 frames (1 B, 1 B, 2 B, topic,
 * payload), each masked, sent and parsed on its own. MQTT.js corks its stream while it writes a
 * packet; giving the stream a `_writev` lets Node hand the corked chunks over at once, and they go
 * out as one frame — what MQTT.js's browser build already does, so Chromium sends 1 frame per packet.
 * Only public API is used: MQTT.js's `MqttClient(streamBuilder, options)` and `ws`'s own stream.
 *
 * Packets written in the same tick may share a frame, as in the browser; MQTT over WebSocket allows
 * it and every broker must accept it.
 */
export function wholePacketWebSocket(url: string, options: IClientOptions): MqttClient {
  const subprotocol = options.protocolId === 'MQIsdp' && options.protocolVersion === 3 ? 'mqttv3.1' : 'mqtt';
  const wsOptions = (options.wsOptions ?? {}) as WebSocket.ClientOptions;
  const ws = loadWs()!;
  const streamBuilder = (): Duplex => {
    // `ws` sets TCP_NODELAY on its socket itself.
    const socket = new ws(url, [subprotocol], wsOptions);
    const stream = ws.createWebSocketStream(socket);
    stream._writev = (chunks: Array<{ chunk: unknown }>, callback: (error?: Error | null) => void) => {
      stream._write(Buffer.concat(chunks.map((c) => (typeof c.chunk === 'string' ? Buffer.from(c.chunk) : (c.chunk as Buffer)))), 'binary', callback);
    };
    socket.on('close', () => stream.destroy());
    return stream;
  };
  return new mqtt.MqttClient(streamBuilder, options);
}
