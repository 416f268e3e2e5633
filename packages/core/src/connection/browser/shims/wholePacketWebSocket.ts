import type { IClientOptions, MqttClient } from 'mqtt';

/**
 * `../wholePacketWebSocket` in the browser build: its transport is for Node's `ws`; the browser build's
 * `mqtt.connect` (browserMqtt) already sends one WebSocket message per packet, in any runtime with a
 * WebSocket of its own (browsers, Node 22 with `--conditions=browser`, Deno, Bun).
 */
export function wantsWholePacketWebSocket(_url: string): boolean {
  return false;
}

export function wholePacketWebSocket(_url: string, _options: IClientOptions): MqttClient {
  throw new Error('wholePacketWebSocket is not part of the browser build');
}
