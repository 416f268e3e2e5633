import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { faultProxy, requireTool, startMosquitto, type FaultProxy, type MosquittoInstance } from '@coplay/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCoplayError } from '../errors/CoplayError';
import { createConnection } from './createConnection';
import { waitForState } from './testing';
import type { Connection, PublishOptions } from './types';

// Model-based test (fast-check commands) over a real broker and the fault proxy: random publishes
// (QoS 0/1, queue/drop/fail, TTL, coalesce key), link cuts, held links, broker stop/start, then close.
// Invariants: every promise settles; a QoS 1 `true` means the subscriber got it; QoS 1 order holds;
// a QoS 1 `false` (dropped, coalesced, expired) never arrives; the queue counters add up.
// The broker is mosquitto with persistence and the subscriber keeps its session (clean: false), so
// what the broker acknowledged survives a restart. Run counts are small: every step uses sockets.

const mosquitto = requireTool('mosquitto');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Restarting the broker every few hundred ms looks like a client-id kick loop to the detector: off here.
const fast = { initialDelayMs: 50, maxDelayMs: 200, earlyMaxDelayMs: 200, kickLoopLinks: Infinity };

interface Sent {
  readonly id: number;
  readonly qos: 0 | 1;
  readonly whenOffline: 'queue' | 'drop' | 'fail';
  outcome?: { value?: boolean; error?: unknown };
}
interface Model {
  brokerUp: boolean;
}
interface Real {
  readonly run: number;
  readonly pub: Connection;
  readonly proxy: FaultProxy;
  readonly broker: MosquittoInstance;
  readonly sent: Sent[];
  readonly promises: Array<Promise<unknown>>;
  nextId: number;
}

class PublishCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly qos: 0 | 1,
    readonly whenOffline: 'queue' | 'drop' | 'fail',
    readonly ttlMs: number | undefined,
    readonly coalesceKey: string | undefined,
  ) {}
  check = () => true;
  async run(_m: Model, r: Real): Promise<void> {
    const s: Sent = { id: ++r.nextId, qos: this.qos, whenOffline: this.whenOffline };
    r.sent.push(s);
    const options: PublishOptions = { qos: this.qos, whenOffline: this.whenOffline };
    if (this.ttlMs !== undefined) options.ttlMs = this.ttlMs;
    if (this.coalesceKey !== undefined) options.coalesceKey = this.coalesceKey;
    const p = r.pub.publish(`m${r.run}/q${this.qos}`, String(s.id), options).then(
      (value) => (s.outcome = { value }),
      (error: unknown) => (s.outcome = { error }),
    );
    r.promises.push(p);
    await pause(5);
  }
  toString = () => `publish(qos ${this.qos}, ${this.whenOffline}, ttl ${this.ttlMs}, key ${this.coalesceKey})`;
}

class CutCommand implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(_m: Model, r: Real): Promise<void> {
    r.proxy.cut();
    await pause(20);
  }
  toString = () => 'cut';
}

class HoldCommand implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(_m: Model, r: Real): Promise<void> {
    r.proxy.delay(150); // a held link: everything arrives, late
    await pause(20);
  }
  toString = () => 'hold';
}

class ReleaseCommand implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(_m: Model, r: Real): Promise<void> {
    r.proxy.pass();
    await pause(5);
  }
  toString = () => 'release';
}

class StopBrokerCommand implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => m.brokerUp;
  async run(m: Model, r: Real): Promise<void> {
    await r.broker.stop();
    m.brokerUp = false;
  }
  toString = () => 'broker stop';
}

class StartBrokerCommand implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => !m.brokerUp;
  async run(m: Model, r: Real): Promise<void> {
    await r.broker.restart();
    m.brokerUp = true;
  }
  toString = () => 'broker start';
}

const publishCommand = fc
    .tuple(
      fc.constantFrom<0 | 1>(0, 1),
      fc.constantFrom<'queue' | 'drop' | 'fail'>('queue', 'queue', 'drop', 'fail'),
      fc.option(fc.constantFrom(20, 200, 5000, Infinity), { nil: undefined }),
      fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
    )
    .map(([q, w, t, k]) => new PublishCommand(q, w, t, k));
const commands = [
  publishCommand,
  publishCommand,
  publishCommand,
  publishCommand,
  fc.constant(new CutCommand()),
  fc.constant(new HoldCommand()),
  fc.constant(new ReleaseCommand()),
  fc.constant(new StopBrokerCommand()),
  fc.constant(new StartBrokerCommand()),
];

describe.skipIf(!mosquitto.available)('connection model (fast-check commands, mosquitto + fault proxy)', () => {
  let broker: MosquittoInstance;
  let dataDir: string;
  let sub: Connection;
  const received: string[] = [];
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'coplay-model-'));
    broker = await startMosquitto({ extraConfig: `persistence true\npersistence_location ${dataDir}/\nautosave_interval 1\nautosave_on_changes true` });
    sub = createConnection({ url: broker.url, clientId: 'model-sub', clean: false, reconnect: fast });
    sub.topic('#', { qos: 1 }).subscribe((m) => received.push(`${m.topic}:${new TextDecoder().decode(m.payload)}`));
    await waitForState(sub, 'connected');
  });
  afterAll(async () => {
    await sub?.close();
    await broker?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every promise settles; QoS 1 true ⇒ received, in order; false never arrives; counters add up', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 40, size: 'large' }), async (cmds) => {
        run++;
        if (!broker.running) await broker.restart();
        const proxy = await faultProxy(broker.url);
        const pub = createConnection({ url: proxy.url, clientId: `model-pub-${run}`, reconnect: fast, queue: { maxMessages: 5 } });
        const real: Real = { run, pub, proxy, broker, sent: [], promises: [], nextId: 0 };
        try {
          await waitForState(pub, 'connected');
          await fc.asyncModelRun(() => ({ model: { brokerUp: true }, real }), cmds);
          // Heal everything and let the queue drain.
          proxy.pass();
          if (!broker.running) await broker.restart();
          await waitForState(pub, 'connected', 15_000);
          const qos1 = real.sent.filter((s) => s.qos === 1);
          await expect.poll(() => qos1.every((s) => s.outcome), { timeout: 20_000 }).toBe(true);
          const key = (s: Sent) => `m${run}/q1:${s.id}`;
          const delivered = qos1.filter((s) => s.outcome?.value === true);
          await expect.poll(() => delivered.filter((s) => !received.includes(key(s))).map((s) => s.id), { timeout: 20_000 }).toEqual([]);
          await pub.close();
          await Promise.all(real.promises); // every promise settles (close() settles the rest)
          expect(real.sent.every((s) => s.outcome)).toBe(true);
          for (const s of real.sent) {
            if (s.outcome?.error !== undefined) expect(isCoplayError(s.outcome.error)).toBe(true);
          }
          // QoS 1 order: first arrivals follow publish order.
          const mine = received.filter((x) => x.startsWith(`m${run}/q1:`)).map((x) => Number(x.split(':')[1]));
          const firsts = mine.filter((id, i) => mine.indexOf(id) === i);
          expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
          // A QoS 1 message settled false (dropped, coalesced, expired) was never sent: it never arrives.
          for (const s of qos1) if (s.outcome?.value === false) expect(mine).not.toContain(s.id);
          // Counters: every `false` is a drop, an expiry, a coalescing, or a whenOffline 'drop'.
          const stats = pub.queue.value;
          const falses = real.sent.filter((s) => s.outcome?.value === false).length;
          const offlineDrops = real.sent.filter((s) => s.whenOffline === 'drop').length;
          const counted = stats.dropped + stats.expired + stats.coalesced;
          expect(falses).toBeGreaterThanOrEqual(counted);
          expect(falses - counted).toBeLessThanOrEqual(offlineDrops);
          expect(stats.depth).toBe(0);
        } finally {
          await pub.close();
          await proxy.close();
        }
      }),
      { numRuns: 10, endOnFailure: true },
    );
  });
});
