import type { ConnectionOptions } from '@coplay/core';
import type { EmbeddedBroker } from './startBroker';
import { uniqueClientId } from './uniqueClientId';

/**
 * Options for a coplay connection to `broker`, with a unique client id made from `name`: its WebSocket
 * listener when it has one (MQTT.js under jsdom takes itself for a browser, and browsers speak ws://),
 * else TCP. Native timers: jsdom has no Worker for MQTT.js's worker timers. A short unsubscribe grace
 * lets tests see UNSUBSCRIBE quickly. `overrides` win.
 */
export const brokerConnectionOptions = (
  broker: EmbeddedBroker,
  name: string,
  overrides: Partial<ConnectionOptions> = {},
): ConnectionOptions => ({
  url: broker.wsUrl ?? broker.url,
  clientId: uniqueClientId(name),
  unsubscribeGraceMs: 30,
  mqttOptions: { timerVariant: 'native' },
  ...overrides,
});
