import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTool, startMosquitto, type MosquittoInstance } from '@coplay/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection } from './createConnection';
import { waitForState } from './testing';
import type { Connection } from './types';

// clean: false end to end: a subscriber with a stable client id keeps its session in a mosquitto
// that persists to disk; the broker is SIGKILLed mid-stream and restarted. Every QoS 1 message whose
// publish resolved true reaches the subscriber — none lost — in publish order (duplicates allowed).

const mosquitto = requireTool('mosquitto');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!mosquitto.available)('persistent sessions across a broker crash (mosquitto with persistence)', () => {
  let broker: MosquittoInstance;
  let dataDir: string;
  const conns: Connection[] = [];
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'coplay-persist-'));
    broker = await startMosquitto({
      // Saved after every change, so a SIGKILL loses nothing the broker acknowledged.
      extraConfig: `persistence true\npersistence_location ${dataDir}/\nautosave_interval 1\nautosave_on_changes true`,
    });
  });
  afterAll(async () => {
    await Promise.all(conns.map((c) => c.close()));
    await broker?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('clean: false + stable client id: 0 QoS 1 messages lost across a SIGKILL and restart', async () => {
    const fast = { initialDelayMs: 50, maxDelayMs: 200, earlyMaxDelayMs: 200 };
    const sub = createConnection({ url: broker.url, clientId: 'persist-sub', clean: false, reconnect: fast });
    const pub = createConnection({ url: broker.url, clientId: 'persist-pub', reconnect: fast });
    conns.push(sub, pub);
    const seen: number[] = [];
    sub.topic('persist/#', { qos: 1 }).subscribe((m) => seen.push(Number(new TextDecoder().decode(m.payload))));
    await waitForState(sub, 'connected');
    await waitForState(pub, 'connected');
    // The subscription is in place once a probe makes the round trip.
    await expect.poll(async () => (await pub.publish('persist/probe', '0', { qos: 1 }), seen.includes(0))).toBe(true);

    const total = 300;
    const results: Array<Promise<boolean>> = [];
    for (let n = 1; n <= total; n++) {
      results.push(pub.publish('persist/n', String(n), { qos: 1 }));
      if (n === 100) await broker.kill(); // a crash: no clean shutdown
      if (n === 150) await broker.restart();
      await pause(5);
    }
    const settled = await Promise.all(results);
    expect(settled.every((r) => r === true)).toBe(true);
    const expected = Array.from({ length: total }, (_, i) => i + 1);
    await expect.poll(() => expected.filter((n) => !seen.includes(n)), { timeout: 20_000 }).toEqual([]);
    // At least once: duplicates may come, but first arrivals keep publish order.
    const firsts = seen.filter((n, i) => n > 0 && seen.indexOf(n) === i);
    expect(firsts).toEqual(expected);
  });
});
