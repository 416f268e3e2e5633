// Helpers shared by the room integration tests (not part of the package API).
import mqtt, { type MqttClient } from 'mqtt';
import { filter, firstValueFrom, timeout, type Observable } from 'rxjs';
import { createConnection } from '../connection/createConnection';
import type { Connection, ConnectionOptions } from '../connection/types';
import { NEUTRAL, type ControllerState } from '../input/ControllerState';

/** Resolves with the first value (current or future) matching `predicate`; fails after `ms`. */
export function until<T>(source: Observable<T>, predicate: (v: T) => boolean, ms = 10_000, what = 'value'): Promise<T> {
  let last: T | undefined;
  return firstValueFrom(
    source.pipe(
      filter((v) => {
        last = v;
        return predicate(v);
      }),
      timeout({
        first: ms,
        with: () => {
          throw new Error(`timed out waiting for ${what}; last was ${JSON.stringify(last)}`);
        },
      }),
    ),
  );
}

export const press = (buttons: number, axes: [number, number, number, number] = [0, 0, 0, 0]): ControllerState => ({
  ...NEUTRAL,
  buttons,
  axes,
});

/** Opens connections and closes them all in `closeAll` (call it in afterEach). */
export function connections(url: () => string) {
  const open: Connection[] = [];
  return {
    open(opts: Partial<ConnectionOptions> & { clientId: string }) {
      const c = createConnection({ url: url(), reconnect: { initialDelayMs: 20, maxDelayMs: 200 }, ...opts });
      open.push(c);
      return c;
    },
    async closeAll() {
      await Promise.all(open.splice(0).map((c) => c.close()));
    },
  };
}

/** A plain MQTT.js client, for speaking the wire protocol by hand (garbage, crafted frames). */
export async function rawClient(url: string, options: mqtt.IClientOptions = {}): Promise<MqttClient> {
  const client = mqtt.connect(url, { reconnectPeriod: 0, ...options });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

export const json = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;

/**
 * Broadcasts `state` until `guest` shows it. Broadcasts are QoS 0 and may be lost (the next one
 * heals it); Aedes loses one for real when it races another message to the same client (it drops
 * a message whose broker counter is below one it already delivered, and a retained publish is
 * stored before it is forwarded).
 */
export async function broadcastUntil<S>(
  host: { broadcast(state: S): Promise<boolean> },
  guest: { hostState: { value: S | undefined } },
  state: S,
  seen: (s: S | undefined) => boolean,
): Promise<void> {
  const { expect } = await import('vitest');
  await expect
    .poll(async () => seen(guest.hostState.value) || (await host.broadcast(state), seen(guest.hostState.value)), { timeout: 10_000 })
    .toBe(true);
}
