import { EventEmitter } from 'events';
import type { IClientOptions, MqttClient } from 'mqtt';

/** The part of a WebSocket (the browser's, or one from `createWebsocket`) the stream uses. */
interface SocketLike {
  readonly readyState: number;
  readonly bufferedAmount: number;
  binaryType: string;
  send(data: Uint8Array): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

/** Where MQTT.js's client pipes what the socket receives (its own Writable, which parses packets). */
interface Sink {
  write(chunk: Uint8Array): unknown;
}

const OPEN = 1;
/** Node's default for a byte stream (16 KiB). */
const HIGH_WATER_MARK = 16 * 1024;
const encoder = new TextEncoder();

function toBytes(chunk: unknown): Uint8Array {
  return typeof chunk === 'string' ? encoder.encode(chunk) : (chunk as Uint8Array);
}

/** What MQTT.js's parser is given by its own browser transport: a Buffer (a view, no copy). */
function received(data: unknown): Buffer {
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  const bytes = toBytes(data);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  let size = 0;
  for (const c of chunks) size += c.byteLength;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * The duplex MQTT.js's client writes packets to and pipes the broker's bytes from, over the browser's
 * own `WebSocket`: the browser build's transport, in place of MQTT.js's `connect/ws` (which brings
 * Node's stream library, ~25 kB gzipped, and every other transport).
 *
 * It keeps what MQTT.js's browser transport does: subprotocol `mqtt` (`mqttv3.1` for MQIsdp v3),
 * `binaryType = 'arraybuffer'`, writes queued until the socket opens, one WebSocket message per MQTT
 * packet (MQTT.js corks the stream while it writes one packet; the chunks leave as one message on
 * uncork), `browserBufferSize` / `browserBufferTimeout` backpressure, `createWebsocket` and
 * `transformWsUrl`. Events keep Node's stream order: `error` (a socket error), then `close`, once,
 * never synchronously from a call MQTT.js makes.
 */
export function webSocketStream(url: string, options: IClientOptions, client: MqttClient): EventEmitter {
  const subprotocol = options.protocolId === 'MQIsdp' && options.protocolVersion === 3 ? 'mqttv3.1' : 'mqtt';
  const target = options.transformWsUrl ? options.transformWsUrl(url, options, client) : url;
  const socket = (options.createWebsocket ? options.createWebsocket(target, [subprotocol], options) : new WebSocket(target, [subprotocol])) as SocketLike;
  socket.binaryType = 'arraybuffer';
  const bufferSize = options.browserBufferSize || 512 * 1024;
  const bufferTimeout = options.browserBufferTimeout || 1000;

  const stream = new EventEmitter() as EventEmitter & Record<string, unknown>;
  let sink: Sink | undefined;
  let corked = 0;
  /** Chunks of the packet being written (while corked). */
  let packet: Uint8Array[] = [];
  /** Whole packets waiting for the socket to open, or for its send buffer to drain. */
  const waiting: Uint8Array[] = [];
  /** Bytes in `packet` and `waiting`: like a Node stream, write() answers false from HIGH_WATER_MARK on. */
  let queued = 0;
  let needDrain = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let destroyed = false;
  let ended = false;

  const finish = (err?: Error) => {
    if (destroyed) return;
    destroyed = true;
    stream.destroyed = true;
    stream.writable = false;
    clearTimeout(retry);
    waiting.length = 0;
    packet = [];
    queued = 0;
    try {
      socket.close();
    } catch {
      // a socket that is already closing or never opened; it is gone either way
    }
    // Like Node's destroy(): `error` then `close`, after the current call returns.
    queueMicrotask(() => {
      if (err) stream.emit('error', err);
      stream.emit('close');
    });
  };

  /** Sends waiting packets while the socket takes them; `drain` once all went out after a write said false. */
  const flush = (): void => {
    if (destroyed || socket.readyState !== OPEN) return;
    while (waiting.length > 0) {
      if (socket.bufferedAmount > bufferSize) {
        // The browser gives no event when its send buffer drains: look again later, as MQTT.js does.
        retry ??= setTimeout(() => {
          retry = undefined;
          flush();
        }, bufferTimeout);
        return;
      }
      const bytes = waiting.shift()!;
      queued -= bytes.byteLength;
      try {
        socket.send(bytes);
      } catch (err) {
        finish(err as Error);
        return;
      }
    }
    if (needDrain && queued === 0) {
      needDrain = false;
      queueMicrotask(() => {
        if (!destroyed) stream.emit('drain');
      });
    }
  };

  const queuePacket = (bytes: Uint8Array): void => {
    waiting.push(bytes);
    flush();
  };

  Object.assign(stream, {
    socket,
    url: target,
    destroyed: false,
    writable: true,
    write(chunk: unknown): boolean {
      // After close the bytes go nowhere, as on a closed socket; answering true lets MQTT.js call the
      // write's callback instead of waiting for a `drain` that cannot come.
      if (destroyed || ended) return true;
      const bytes = toBytes(chunk);
      queued += bytes.byteLength;
      if (corked > 0) packet.push(bytes);
      else queuePacket(bytes);
      if (queued < HIGH_WATER_MARK) return true;
      needDrain = true;
      return false;
    },
    cork(): void {
      corked++;
    },
    uncork(): void {
      if (corked === 0) return;
      corked--;
      if (corked === 0 && packet.length > 0) {
        const bytes = concat(packet);
        packet = [];
        queuePacket(bytes);
      }
    },
    pipe(dest: Sink): Sink {
      sink = dest;
      return dest;
    },
    end(cb?: () => void): void {
      if (!ended && !destroyed) {
        ended = true;
        corked = 0;
        if (packet.length > 0) waiting.push(concat(packet));
        packet = [];
        flush();
      }
      // What MQTT.js's browser transport does on end: close the socket (what send() queued still goes
      // out first), report finished, then closed.
      if (cb) queueMicrotask(cb);
      finish();
    },
    destroy(err?: Error): void {
      finish(err);
    },
  });

  socket.onopen = () => {
    if (!destroyed) flush();
  };
  socket.onmessage = (event) => {
    if (destroyed || !sink) return;
    sink.write(received(event.data));
  };
  socket.onerror = (event) => {
    const err = new Error('WebSocket error') as Error & { event?: unknown };
    err.event = event;
    finish(err);
  };
  socket.onclose = () => finish();
  return stream;
}
