import { createConnection, type Connection } from '@coplay/core';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { connected } from './until';

/** A publisher → subscriber pair on one topic, opened and subscribed. */
export interface OpenPair {
  send(payload: Uint8Array): void;
  /** Publishes to `topic` (nobody subscribes there); resolves once the client has written it to the socket. */
  sendTo(topic: string, payload: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** One side of a comparison: how to open a pair on a broker. */
export interface PairSubject {
  key: string;
  label: string;
  open(url: string, topic: string, onMessage: (payload: Uint8Array) => void): Promise<OpenPair>;
}

const tag = () => Math.random().toString(16).slice(2, 8);

async function rawClient(url: string, id: string, noDelay: boolean, extra: IClientOptions = {}): Promise<MqttClient> {
  const c = await mqtt.connectAsync(url, { clientId: id, reconnectPeriod: 0, ...extra });
  // What coplay does on 'connect'; the `ws` library already sets it on WebSocket sockets.
  if (noDelay) (c.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
  return c;
}

function raw(key: string, label: string, noDelay: boolean, extra: IClientOptions = {}): PairSubject {
  return {
    key,
    label,
    async open(url, topic, onMessage) {
      const t = tag();
      const [pub, sub] = await Promise.all([rawClient(url, `${key}-p-${t}`, noDelay, extra), rawClient(url, `${key}-s-${t}`, noDelay, extra)]);
      sub.on('message', (_t, payload) => onMessage(payload));
      await sub.subscribeAsync(topic, { qos: 0 });
      return {
        send: (p) => pub.publish(topic, p as Buffer, { qos: 0 }),
        sendTo: (t, p) => new Promise<void>((resolve) => pub.publish(t, p as Buffer, { qos: 0 }, () => resolve())),
        close: async () => {
          await Promise.all([pub.endAsync(), sub.endAsync()]);
        },
      };
    },
  };
}

export const RAW_DEFAULT = raw('raw', 'raw MQTT.js (defaults)', false);
export const RAW_NODELAY = raw('rawNoDelay', 'raw MQTT.js + noDelay', true);

function coplay(key: string, label: string, options: Record<string, unknown> = {}): PairSubject {
  return {
    key,
    label,
    async open(url, topic, onMessage) {
      const t = tag();
      const pub: Connection = createConnection({ url, clientId: `${key}-p-${t}`, ...options });
      const sub: Connection = createConnection({ url, clientId: `${key}-s-${t}`, ...options });
      await Promise.all([connected(pub), connected(sub)]);
      const subscription = sub.topic(topic).subscribe((m) => onMessage(m.payload));
      return {
        send: (p) => void pub.publish(topic, p, { qos: 0 }).catch(() => {}),
        sendTo: (t, p) => pub.publish(t, p, { qos: 0 }).then(() => undefined, () => undefined),
        close: async () => {
          subscription.unsubscribe();
          await Promise.all([pub.close(), sub.close()]);
        },
      };
    },
  };
}

export const COPLAY = coplay('coplay', 'coplay');
/** coplay with MQTT.js's own WebSocket framing in Node (5 frames per PUBLISH), for the before/after. */
export const COPLAY_SPLIT_FRAMES = coplay('coplaySplit', 'coplay, wholePacketFrames: false', { wholePacketFrames: false });
