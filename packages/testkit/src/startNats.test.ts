import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from './requireTool';
import { startNats, type NatsInstance } from './startNats';
import { startNatsCluster } from './startNatsCluster';

const hasNats = requireTool('nats-server').available;

/** Publishes on `pubUrl` and resolves with what a subscriber on `subUrl` received. */
async function roundTrip(pubUrl: string, subUrl: string, topic: string): Promise<string> {
  const sub = await mqtt.connectAsync(subUrl, { reconnectPeriod: 0 });
  const pub = await mqtt.connectAsync(pubUrl, { reconnectPeriod: 0 });
  try {
    const got = new Promise<string>((resolve) => sub.on('message', (_t, p) => resolve(p.toString())));
    await sub.subscribeAsync(topic, { qos: 1 });
    // Across a cluster the interest may take a moment to reach the other node: publish until it arrives.
    let done = false;
    void got.then(() => (done = true));
    for (let i = 0; !done && i < 100; i++) {
      await pub.publishAsync(topic, `hello ${i}`, { qos: 1 });
      await Promise.race([got, new Promise((r) => setTimeout(r, 100))]);
    }
    return await got;
  } finally {
    await Promise.all([sub.endAsync(true), pub.endAsync(true)]);
  }
}

describe.skipIf(!hasNats)('startNats', () => {
  let nats: NatsInstance;
  beforeAll(async () => {
    nats = await startNats({ ws: true });
  });
  afterAll(async () => {
    await nats?.close();
  });

  it('serves MQTT 3.1.1 over TCP and over WebSocket on /mqtt', async () => {
    expect(await roundTrip(nats.url, nats.wsUrl!, 'a/b')).toMatch(/^hello/);
  });

  it('answers an MQTT 5 CONNECT with "unacceptable protocol version"', async () => {
    await expect(mqtt.connectAsync(nats.url, { protocolVersion: 5, reconnectPeriod: 0 })).rejects.toThrow(/protocol version/i);
  });

  it('restarts on the same URL', async () => {
    await nats.kill();
    expect(nats.running).toBe(false);
    await nats.restart();
    expect(await roundTrip(nats.url, nats.url, 'after/restart')).toMatch(/^hello/);
  });
});

describe.skipIf(!hasNats)('startNatsCluster', () => {
  it('routes MQTT messages between nodes', async () => {
    const cluster = await startNatsCluster({ nodes: 3 });
    try {
      expect(cluster.urls).toHaveLength(3);
      expect(await roundTrip(cluster.urls[0]!, cluster.urls[1]!, 'across/nodes')).toMatch(/^hello/);
    } finally {
      await cluster.close();
    }
  }, 90_000);
});
