import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from './requireTool';
import { startAedesCluster, type AedesCluster } from './startAedesCluster';

describe.skipIf(!requireTool('redis-server').available)('startAedesCluster', () => {
  let cluster: AedesCluster;
  beforeAll(async () => {
    cluster = await startAedesCluster({ nodes: 2 });
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('delivers across nodes and keeps retained messages in Redis', async () => {
    const [a, b] = cluster.urls as [string, string];
    const pub = await mqtt.connectAsync(a, { reconnectPeriod: 0 });
    await pub.publishAsync('kept/x', 'retained', { qos: 1, retain: true });
    const sub = await mqtt.connectAsync(b, { reconnectPeriod: 0 });
    const got: string[] = [];
    sub.on('message', (t, p) => got.push(`${t}=${p.toString()}`));
    await sub.subscribeAsync(['kept/#', 'live/#'], { qos: 1 });
    await expect.poll(() => got).toContain('kept/x=retained');
    await expect.poll(async () => (await pub.publishAsync('live/y', 'hi', { qos: 1 }), got.includes('live/y=hi'))).toBe(true);
    await Promise.all([pub.endAsync(true), sub.endAsync(true)]);
  });

  it('a crashed node is a crash: its clients lose the link, the other node keeps serving', async () => {
    const [a, b] = cluster.urls as [string, string];
    const victim = await mqtt.connectAsync(a, { reconnectPeriod: 0 });
    const closed = new Promise<void>((r) => victim.once('close', () => r()));
    await cluster.nodes[0]!.kill();
    await closed;
    const other = await mqtt.connectAsync(b, { reconnectPeriod: 0 });
    await other.endAsync(true);
    await cluster.nodes[0]!.restart();
  });
});
