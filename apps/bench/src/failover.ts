import { createConnection, hostRoom, joinRoom, type Connection, type ConnectionOptions } from '@coplay/core';
import { requireTool, startAedesCluster, startNatsCluster } from '@coplay/testkit';

// `npm run bench:failover -w @coplay/bench -- [nats|aedes] [runs]`
// Host on node 1, guest on node 2, both given every node's URL; the guest sends 60 Hz input (QoS 0).
// Node 1 is SIGKILLed; we time, from the kill: the host noticing (detect), the host's CONNACK on a
// surviving node (reconnect), and the first guest frame reaching the host again (input back).
// Variants isolate what the broker's share depends on.

interface Variant {
  readonly name: string;
  /** A new client id on every CONNECT (no session to hand over) instead of the same one. */
  readonly freshClientId: boolean;
  readonly clean: boolean;
  /** NATS: replicas of the MQTT streams. */
  readonly replicas?: number;
  /** coplay's `reconnect.connectTimeoutMs` (default 10 000). */
  readonly connectTimeoutMs?: number;
  /** coplay's `reconnect.initialDelayMs` (default 500: the first retry waits a random 0–500 ms). */
  readonly initialDelayMs?: number;
  /** Through a room (hostRoom/joinRoom, input read from host.input(2)) instead of a bare topic. */
  readonly room?: boolean;
}

interface Sample {
  /** NATS: which JetStream groups node 1 led when it died (meta, $MQTT_sess, ...). */
  ledByVictim: string[];
  detectMs: number;
  reconnectMs: number;
  inputBackMs: number;
  attempts: number;
  refusals: string[];
}

const now = () => performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitConnected(c: Connection, ms = 30_000): Promise<void> {
  const until = now() + ms;
  while (c.state.value.status !== 'connected') {
    if (now() > until) throw new Error(`not connected within ${ms} ms: ${JSON.stringify(c.state.value)}`);
    await sleep(10);
  }
}

/** NATS: the JetStream groups (meta and the MQTT streams) whose Raft leader is `serverName`. */
async function ledBy(monitorUrl: string, serverName: string): Promise<string[]> {
  const jsz = (await (await fetch(`${monitorUrl}/jsz?accounts=true&streams=true`)).json()) as {
    meta_cluster?: { leader?: string };
    account_details?: Array<{ stream_detail?: Array<{ name: string; cluster?: { leader?: string } }> }>;
  };
  const led = jsz.meta_cluster?.leader === serverName ? ['meta'] : [];
  for (const a of jsz.account_details ?? []) for (const st of a.stream_detail ?? []) if (st.cluster?.leader === serverName) led.push(st.name);
  return led;
}

async function runOnce(
  urls: readonly string[],
  kill: () => Promise<void>,
  variant: Variant,
  run: number,
  leaders: () => Promise<string[]> = () => Promise.resolve([]),
): Promise<Sample> {
  const topic = `fo/${run}/in`;
  let hostConnects = 0;
  const hostBase = `host-${process.pid}-${run}`;
  const common: Partial<ConnectionOptions> = {
    broker: urls.length === 3 ? 'nats' : 'aedes',
    clean: variant.clean,
    keepalive: 10,
    reconnect: {
      ...(variant.connectTimeoutMs ? { connectTimeoutMs: variant.connectTimeoutMs } : {}),
      ...(variant.initialDelayMs ? { initialDelayMs: variant.initialDelayMs } : {}),
    },
  };
  const host = createConnection({
    ...common,
    url: [...urls],
    clientId: hostBase,
    credentials: () => (variant.freshClientId ? { clientId: `${hostBase}-${++hostConnects}` } : {}),
  });
  const guest = createConnection({ ...common, url: [urls[1]!, ...urls.filter((_, i) => i !== 1)], clientId: `guest-${process.pid}-${run}` });
  let lastFrameAt = 0;
  await waitConnected(host);
  await waitConnected(guest);
  const guestStates: Array<{ at: number; status: string }> = [];
  let sendFrame: () => void;
  let closeRoom = async () => {};
  let statsOf = () => '';
  if (variant.room) {
    const hostSide = hostRoom(host, { room: `fo${run}` });
    const guestSide = joinRoom(guest, { invite: await hostSide.invite, browserEvents: false });
    // Every frame that reaches the host counts in stats.frames (the Live value replays, so skip the first).
    let frames = 0;
    hostSide.stats.value$.subscribe((st) => {
      if (st.frames > frames) lastFrameAt = now();
      frames = st.frames;
    });
    const joinedBy = now() + 30_000;
    while (guestSide.status.value.status !== 'playing') {
      if (now() > joinedBy) throw new Error(`guest not playing: ${JSON.stringify(guestSide.status.value)}`);
      await sleep(10);
    }
    guestSide.status.value$.subscribe((st) => guestStates.push({ at: now(), status: `guest ${st.status}${'error' in st ? `(${st.error.code}: ${st.error.message})` : ''}` }));
    hostSide.status.value$.subscribe((st) => guestStates.push({ at: now(), status: `host ${st.status}${'error' in st ? `(${st.error.code}: ${st.error.message})` : ''}` }));
    let n = 0;
    sendFrame = () => {
      if (guestSide.status.value.status === 'playing') guestSide.send({ buttons: (++n % 2) + 1, axes: [0, 0, 0, 0], triggers: [0, 0] });
    };
    statsOf = () => JSON.stringify(hostSide.stats.value);
    closeRoom = async () => {
      await Promise.all([guestSide.close(), hostSide.close()]);
    };
  } else {
    host.topic(topic).subscribe(() => (lastFrameAt = now()));
    sendFrame = () => void guest.publish(topic, new Uint8Array(16), { whenOffline: 'drop' }).catch(() => {});
  }
  const sender = setInterval(sendFrame, 1000 / 60);
  try {
    // Input must be flowing across nodes before the kill.
    const until = now() + 20_000;
    while (now() - lastFrameAt > 50) {
      if (now() > until) throw new Error('input never flowed from node 2 to node 1');
      await sleep(20);
    }
    const ledByVictim = await leaders();
    const statsBefore = statsOf();
    const statsTimer = process.env.BENCH_STATS ? setInterval(() => console.log(`    +${Math.round(now() - t0)}ms host stats ${statsOf()}`), 1000) : undefined;
    const states: Array<{ at: number; status: string; reason?: string | undefined }> = [];
    const sub = host.state.value$.subscribe((s) => states.push({ at: now(), status: s.status, reason: 'reason' in s ? s.reason.code : undefined }));
    const t0 = now();
    await kill();
    const killedAt = now();
    const limit = killedAt + 60_000;
    // Input is back at the first frame the host gets once it is connected again (frames still in the
    // dead socket's buffer right after the kill do not count).
    const backSince = () => states.find((s) => s.at >= t0 && s.status === 'connected')?.at ?? Infinity;
    while (lastFrameAt < backSince() && now() < limit) await sleep(5);
    if (lastFrameAt < backSince()) lastFrameAt = Infinity; // not back within 60 s
    sub.unsubscribe();
    clearInterval(statsTimer);
    if (process.env.BENCH_STATS) console.log(`    before: ${statsBefore}\n    after:  ${statsOf()}`);
    if (process.env.BENCH_VERBOSE) {
      const guestAfter = guestStates.filter((g) => g.at >= t0).map((g) => `+${Math.round(g.at - t0)}ms ${g.status}`);
      console.log(
        `  run ${run} (node 1 led: ${ledByVictim.join(' ') || 'nothing'}): ${states.map((s) => `+${Math.round(s.at - t0)}ms ${s.status}${s.reason ? `(${s.reason})` : ''}`).join(' → ')} → +${Math.round(lastFrameAt - t0)}ms input${guestAfter.length ? `; rooms: ${guestAfter.join(' → ')}` : ''}`,
      );
    }
    const down = states.find((s) => s.at >= t0 && s.status !== 'connected');
    const up = states.find((s) => s.at >= t0 && s.status === 'connected' && down && s.at >= down.at);
    return {
      ledByVictim,
      detectMs: (down?.at ?? NaN) - t0,
      reconnectMs: (up?.at ?? NaN) - (down?.at ?? NaN),
      inputBackMs: lastFrameAt - t0,
      attempts: states.filter((s) => s.at >= t0 && s.status === 'connecting').length,
      refusals: states.filter((s) => s.reason).map((s) => s.reason!),
    };
  } finally {
    clearInterval(sender);
    await closeRoom();
    await Promise.all([host.close(), guest.close()]);
  }
}

const fmt = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const sec = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)}` : '>60');
  return `${sec(s[Math.floor((s.length - 1) / 2)]!)} s (min ${sec(s[0]!)}, max ${sec(s[s.length - 1]!)})`;
};

async function main(): Promise<void> {
  const which = process.argv[2] ?? 'nats';
  const runs = Number(process.argv[3] ?? 3);
  const variants: Variant[] =
    which === 'nats'
      ? [
          { name: 'same client id, clean session, stream_replicas 3', freshClientId: false, clean: true, replicas: 3 },
          { name: 'fresh client id per CONNECT, clean session, stream_replicas 3', freshClientId: true, clean: true, replicas: 3 },
          { name: 'same client id, clean session, stream_replicas 3, connectTimeoutMs 1000', freshClientId: false, clean: true, replicas: 3, connectTimeoutMs: 1000 },
          { name: 'same client id, clean session, stream_replicas 3, connectTimeoutMs 500', freshClientId: false, clean: true, replicas: 3, connectTimeoutMs: 500 },
          { name: 'same client id, clean session, stream_replicas 1', freshClientId: false, clean: true, replicas: 1 },
          { name: 'room (hostRoom/joinRoom), stream_replicas 3', freshClientId: false, clean: true, replicas: 3, room: true },
          { name: 'room, stream_replicas 3, initialDelayMs 50, connectTimeoutMs 1000', freshClientId: false, clean: true, replicas: 3, room: true, initialDelayMs: 50, connectTimeoutMs: 1000 },
        ]
      : [
          { name: 'same client id, clean session', freshClientId: false, clean: true },
          { name: 'fresh client id per CONNECT, clean session', freshClientId: true, clean: true },
          { name: 'room (hostRoom/joinRoom)', freshClientId: false, clean: true, room: true },
          { name: 'room, initialDelayMs 50', freshClientId: false, clean: true, room: true, initialDelayMs: 50 },
        ];
  if (which === 'nats') requireTool('nats-server');
  else requireTool('redis-server');
  console.log(`failover on ${which === 'nats' ? 'a 3-node NATS 2.9 cluster' : 'a 2-node Aedes + Redis cluster'}, ${runs} runs per variant`);
  const only = process.env.BENCH_VARIANTS?.split(',').map(Number);
  for (const [index, variant] of variants.entries()) {
    if (only && !only.includes(index)) continue;
    const samples: Sample[] = [];
    for (let run = 0, setupFailures = 0; run < runs; run++) {
      const cluster = which === 'nats' ? await startNatsCluster({ nodes: 3, streamReplicas: variant.replicas }) : await startAedesCluster({ nodes: 2 });
      try {
        await sleep(500);
        const [victim, witness] = cluster.nodes as unknown as ReadonlyArray<{ monitorUrl?: string; serverName?: string }>;
        const leaders = witness?.monitorUrl ? () => ledBy(witness.monitorUrl!, victim!.serverName!) : undefined;
        try {
          samples.push(await runOnce(cluster.urls, () => cluster.nodes[0]!.kill(), variant, run, leaders));
        } catch (err) {
          // A run whose room never got going before the kill (a fresh cluster still forming) is set up again.
          if (++setupFailures > 3) throw err;
          console.log(`  run ${run}: setup failed, again (${(err as Error).message})`);
          run--;
        }
      } finally {
        await cluster.close();
      }
    }
    console.log(`\n${variant.name}`);
    console.log(`  detect      ${fmt(samples.map((s) => s.detectMs))}`);
    console.log(`  reconnect   ${fmt(samples.map((s) => s.reconnectMs))}  (CONNECT attempts: ${samples.map((s) => s.attempts).join(', ')})`);
    console.log(`  input back  ${fmt(samples.map((s) => s.inputBackMs))}`);
    console.log(`  reasons     ${[...new Set(samples.flatMap((s) => s.refusals))].join(', ')}`);
    if (which === 'nats') {
      const slow = samples.filter((s) => s.inputBackMs > 2000);
      const fast = samples.filter((s) => s.inputBackMs <= 2000);
      const led = (xs: Sample[]) => xs.map((s) => s.ledByVictim.join('+') || '-').join(', ');
      console.log(`  node 1 led, in runs over 2 s: ${led(slow) || 'none'}; in runs within 2 s: ${led(fast) || 'none'}`);
    }
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
