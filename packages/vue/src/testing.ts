// Test helpers shared by this package's tests (not exported from index.ts).
import { createConnection, type Connection, type ConnectionOptions } from '@coplay/core';
import type { EmbeddedBroker } from '@coplay/testkit';
import { firstValueFrom, filter } from 'rxjs';

let n = 0;
/** A unique client id per test connection, so broker events can be told apart. */
export const clientId = (name: string) => `${name}-${process.pid}-${++n}`;

/**
 * Options for a connection to the broker's WebSocket listener (MQTT.js takes jsdom for a browser,
 * and browsers speak ws://). Native timers: jsdom has no Worker for MQTT.js's worker timers.
 */
export const brokerOptions = (broker: EmbeddedBroker, name: string, options: Partial<ConnectionOptions> = {}): ConnectionOptions => ({
  url: broker.wsUrl!,
  clientId: clientId(name),
  unsubscribeGraceMs: 30,
  mqttOptions: { timerVariant: 'native' },
  ...options,
});

/** A connection that has reached `connected`. The caller closes it. */
export async function connectedConnection(broker: EmbeddedBroker, name: string, options: Partial<ConnectionOptions> = {}): Promise<Connection> {
  const conn = createConnection(brokerOptions(broker, name, options));
  await firstValueFrom(conn.state$.pipe(filter((s) => s.status === 'connected')));
  return conn;
}

/** Resolves when the broker has seen `clientId` SUBSCRIBE to `topic`. */
export const subscribeSeen = (broker: EmbeddedBroker, id: string, topic: string) =>
  broker.waitFor((e) => e.type === 'subscribe' && e.clientId === id && e.filters!.includes(topic), 5000);

/** Resolves when the broker has seen `clientId` UNSUBSCRIBE from `topic`. */
export const unsubscribeSeen = (broker: EmbeddedBroker, id: string, topic: string) =>
  broker.waitFor((e) => e.type === 'unsubscribe' && e.clientId === id && e.filters!.includes(topic), 5000);

/** Polls `check` until it stops throwing (Vue renders asynchronously). */
export async function eventually(check: () => void, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
