import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireTool, startBroker, startMosquitto } from '@coplay/testkit';
import { FRAME_BYTES } from '@coplay/core';
import { demoKeyToHost, demoOpenToFirstInput, keyToHost, type DemoOpenResult, type KeyToHostResult } from './browserBench';
import { scaleStep, summarizeProfile, tempProfileDir, type ScaleStep } from './scaleBench';
import { latencyChart, type ChartGroup } from './chart';
import { machineInfo } from './machine';
import { latencyRun, publishRun, throughputRun, type PairRun } from './pairBench';
import { roomSubject } from './roomBench';
import { fmtUs, ratio, splitMedianOfRounds, splitSummary, type SplitSummary } from './stats';
import { COPLAY, COPLAY_SPLIT_FRAMES, RAW_DEFAULT, RAW_NODELAY, type PairSubject } from './subjects';

// `npm run bench [-- --quick] [-- --only=latency,room,throughput]`. Every coplay figure sits next to raw
// MQTT.js measured in the same run, on the same broker, with the same warm-up and idle, in rotating
// order (A B C, B C A, …) so the machine's noise lands on all sides.
const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const ONLY = argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const want = (s: string) => !ONLY || ONLY.includes(s);
const OUT_DIR = argv.find((a) => a.startsWith('--out='))?.slice(6) ?? join(dirname(fileURLToPath(import.meta.url)), '../../../docs');

const CFG = QUICK
  ? { count: 2000, rate: 1000, rounds: 1, roomSeconds: 6, roomRounds: 1, tpCount: 10_000, tpRounds: 1, presses: 30, opens: 2, scaleRooms: [20, 40], scaleSeconds: 3 }
  : { count: 2000, rate: 1000, rounds: 3, roomSeconds: 10, roomRounds: 2, tpCount: 20_000, tpRounds: 2, presses: 100, opens: 4, scaleRooms: [25, 50, 100], scaleSeconds: 5 };

interface Broker {
  key: string;
  label: string;
  url: string;
  close(): Promise<void>;
}

interface LatencyRow {
  broker: string;
  subject: string;
  key: string;
  summary: SplitSummary;
}

const log = (...a: unknown[]) => console.log(...a);

async function brokers(): Promise<Broker[]> {
  const out: Broker[] = [];
  const aedes = await startBroker({ ws: true, record: false });
  out.push({ key: 'aedes-tcp', label: 'Aedes (in-process), TCP', url: aedes.url, close: () => aedes.close() });
  out.push({ key: 'aedes-ws', label: 'Aedes (in-process), WebSocket', url: aedes.wsUrl!, close: async () => {} });
  if (requireTool('mosquitto').available) {
    const nd = await startMosquitto({ ws: true });
    out.push({ key: 'mosq-nd-tcp', label: 'mosquitto set_tcp_nodelay, TCP', url: nd.url, close: () => nd.close() });
    out.push({ key: 'mosq-nd-ws', label: 'mosquitto set_tcp_nodelay, WebSocket', url: nd.wsUrl!, close: async () => {} });
    const def = await startMosquitto({ ws: true, tcpNoDelay: false });
    out.push({ key: 'mosq-def-tcp', label: 'mosquitto default config, TCP', url: def.url, close: () => def.close() });
    out.push({ key: 'mosq-def-ws', label: 'mosquitto default config, WebSocket', url: def.wsUrl!, close: async () => {} });
  } else {
    log('mosquitto not installed: mosquitto rows skipped');
  }
  return out;
}

/** Runs every subject `rounds` times in rotating order; pools each subject's samples. */
async function compare(
  subjects: readonly PairSubject[],
  rounds: number,
  run: (s: PairSubject) => Promise<PairRun>,
): Promise<Map<string, SplitSummary>> {
  const runs = new Map<string, PairRun[]>(subjects.map((s) => [s.key, []]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < subjects.length; k++) {
      const s = subjects[(k + r) % subjects.length]!;
      runs.get(s.key)!.push(await run(s));
    }
  }
  return new Map([...runs].map(([k, v]) => [k, splitMedianOfRounds(v)]));
}

function latencyTable(rows: readonly LatencyRow[], baselineKey: string): string {
  const out = [
    '| broker | subject | steady p50 / p99 / p99.9 | first second p50 / p99 / max | > 5 ms | lost | steady ratio vs raw + noDelay p50 / p99 |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const base = rows.find((b) => b.broker === r.broker && b.key === baselineKey)?.summary.steady;
    const s = r.summary.steady;
    const f = r.summary.first;
    const late = (s.lateShare * s.n + f.lateShare * f.n) / Math.max(1, s.n + f.n);
    out.push(
      `| ${r.broker} | ${r.subject} | ${fmtUs(s.p50)} / ${fmtUs(s.p99)} / ${fmtUs(s.p999)} | ${fmtUs(f.p50)} / ${fmtUs(f.p99)} / ${fmtUs(f.max)} | ` +
        `${(late * 100).toFixed(2)} % | ${s.lost + f.lost} | ${base && r.key !== baselineKey ? `${ratio(base.p50, s.p50)} / ${ratio(base.p99, s.p99)}` : '—'} |`,
    );
  }
  return out.join('\n');
}

const COLORS: Record<string, string> = { raw: '#999999', rawNoDelay: '#1f77b4', coplay: '#d62728', room: '#d62728', roomNoPing: '#ff7f0e' };

function chartGroups(rows: readonly LatencyRow[]): ChartGroup[] {
  const groups = new Map<string, ChartGroup>();
  for (const r of rows) {
    const g = groups.get(r.broker) ?? { label: r.broker, bars: [] };
    g.bars.push({ label: r.subject, p50: r.summary.steady.p50, p99: r.summary.steady.p99, color: COLORS[r.key] ?? '#2ca02c' });
    groups.set(r.broker, g);
  }
  return [...groups.values()];
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const machine = machineInfo();
  log(`coplay bench${QUICK ? ' (quick)' : ''} — ${machine.cpu} × ${machine.cores}, ${machine.kernel}, Node ${machine.node}, load ${machine.loadAvgStart.join(' ')}`);
  const all = await brokers();
  const latencyRows: LatencyRow[] = [];
  const roomRows: LatencyRow[] = [];
  let browser: (KeyToHostResult & { broker: string }) | undefined;
  let demo: Pick<KeyToHostResult, 'presses' | 'matched' | 'total' | 'stages'> | undefined;
  let demoOpen: DemoOpenResult | undefined;
  const scale: ScaleStep[] = [];
  let profile: Array<{ fn: string; share: number }> = [];
  let scaleBroker = '';
  const throughput: Array<{ broker: string; subject: string; key: string; msgsPerSec: number[] }> = [];
  const publishOnly: Array<{ broker: string; subject: string; key: string; msgsPerSec: number[] }> = [];
  try {
    if (want('latency')) {
      const subjects = [RAW_DEFAULT, RAW_NODELAY, COPLAY];
      for (const b of all) {
        log(`latency: ${b.label}`);
        const res = await compare(subjects, CFG.rounds, (s) => latencyRun(s, b.url, CFG.count, CFG.rate));
        for (const s of subjects) latencyRows.push({ broker: b.label, subject: s.label, key: s.key, summary: res.get(s.key)! });
      }
    }
    if (want('room')) {
      const rawNd: PairSubject = { ...RAW_NODELAY };
      const rawDef: PairSubject = { ...RAW_DEFAULT };
      const room = roomSubject('room', 'coplay room (authenticated, pings every 1 s)');
      const open = roomSubject('roomOpen', 'coplay room, secure: false (untagged frames)', { secure: false });
      const noPing = roomSubject('roomNoPing', 'coplay room, pings off (diagnostic)', { pingIntervalMs: 3_600_000 });
      const subjects = [rawDef, rawNd, room, open, noPing];
      const count = CFG.roomSeconds * 60;
      for (const b of all.filter((x) => x.key.endsWith('-tcp'))) {
        log(`room: ${b.label}`);
        // 60 Hz is light: the subjects run side by side, sharing one time window.
        const runs = new Map<string, PairRun[]>(subjects.map((s) => [s.key, []]));
        for (let r = 0; r < CFG.roomRounds; r++) {
          const res = await Promise.all(subjects.map((s) => latencyRun(s, b.url, count, 60, FRAME_BYTES)));
          subjects.forEach((s, k) => runs.get(s.key)!.push(res[k]!));
        }
        for (const s of subjects) roomRows.push({ broker: b.label, subject: s.label, key: s.key, summary: splitSummary(runs.get(s.key)!) });
      }
    }
    if (want('throughput')) {
      for (const b of all) {
        const subjects = b.key.endsWith('-ws') ? [RAW_NODELAY, COPLAY, COPLAY_SPLIT_FRAMES] : [RAW_NODELAY, COPLAY];
        log(`throughput: ${b.label}`);
        const res = new Map<string, number[]>(subjects.map((s) => [s.key, []]));
        for (let r = 0; r < CFG.tpRounds; r++) {
          for (let k = 0; k < subjects.length; k++) {
            const s = subjects[(k + r) % subjects.length]!;
            res.get(s.key)!.push(await throughputRun(s, b.url, CFG.tpCount));
          }
        }
        for (const s of subjects) throughput.push({ broker: b.label, subject: s.label, key: s.key, msgsPerSec: res.get(s.key)! });
        if (b.key.endsWith('-ws')) {
          const pubRes = new Map<string, number[]>(subjects.map((s) => [s.key, []]));
          for (let r = 0; r < CFG.tpRounds + 1; r++) {
            for (let k = 0; k < subjects.length; k++) {
              const s = subjects[(k + r) % subjects.length]!;
              pubRes.get(s.key)!.push(await publishRun(s, b.url, CFG.tpCount));
            }
          }
          for (const s of subjects) publishOnly.push({ broker: b.label, subject: s.label, key: s.key, msgsPerSec: pubRes.get(s.key)! });
        }
      }
    }
    if (want('scale')) {
      const b = all.find((x) => x.key === 'mosq-nd-tcp') ?? all.find((x) => x.key === 'aedes-tcp')!;
      for (const n of CFG.scaleRooms) {
        log(`scale: ${n} rooms on ${b.label}`);
        // raw and coplay alternate at each size, in rotating order
        const order = (['raw', 'coplay'] as const).slice();
        if (scale.length % 4 === 2) order.reverse();
        for (const mode of order) scale.push(await scaleStep(b.url, mode, n, CFG.scaleSeconds));
      }
      const prof = tempProfileDir();
      try {
        log('scale: profiling the host at 40 rooms');
        await scaleStep(b.url, 'coplay', 40, CFG.scaleSeconds, prof.dir);
        profile = summarizeProfile(prof.dir, 15);
      } finally {
        prof.dispose();
      }
      scaleBroker = b.label;
    }
    if (want('browser')) {
      const b = all.find((x) => x.key === 'mosq-nd-ws') ?? all.find((x) => x.key === 'aedes-ws')!;
      if (existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
        log(`browser: key press → host input, ${b.label}`);
        browser = { broker: b.label, ...(await keyToHost(b.url, CFG.presses, CFG.opens)) };
        log('browser: open guest link → first input on the demo\'s production build (npm run demo -- --prod)');
        demoOpen = await demoOpenToFirstInput(CFG.opens + 1);
        if (!QUICK) {
          log('browser: the same on the demo (npm run demo)');
          demo = await demoKeyToHost(40);
        }
      } else log('chromium not installed: browser section skipped');
    }
  } finally {
    for (const b of all) await b.close();
  }
  machine.loadAvgEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
  const seconds = Math.round((Date.now() - t0) / 1000);

  // ---- report ----
  mkdirSync(OUT_DIR, { recursive: true });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  const md: string[] = [];
  md.push('# Benchmarks', '');
  md.push(`Written by \`npm run bench${QUICK ? ' -- --quick' : ''}\` (apps/bench) on ${machine.date} in ${seconds} s. Do not edit by hand: re-run it.`, '');
  md.push('## Machine', '');
  md.push(`- ${machine.cpu}, ${machine.cores} cores, ${machine.memGiB} GiB, ${machine.os}, Linux ${machine.kernel}`);
  md.push(`- Node ${machine.node}, MQTT.js ${machine.mqttJs}, ${machine.mosquitto}`);
  md.push(`- load average ${machine.loadAvgStart.join(' / ')} at start, ${machine.loadAvgEnd.join(' / ')} at the end: the machine is shared, so compare ratios within a run, not absolutes across runs`);
  md.push('- everything on loopback, one Node process for clients (and the in-process Aedes); mosquitto is spawned on free ports', '');
  md.push('## Method', '');
  md.push('- **Subjects.** *raw MQTT.js (defaults)*: `mqtt.connectAsync` as it comes. *raw MQTT.js + noDelay*: the same with `setNoDelay(true)` on its socket after CONNACK — what coplay sets for you; this is the fair baseline every ratio uses. *coplay*: `createConnection` → `publish` / `topic()`.');
  md.push(`- **Identical warm-up.** Each run opens fresh clients, subscribes, sends a probe every 10 ms until one arrives, idles 200 ms, then sends. Subjects alternate in rotating order (A B C, B C A, C A B) for ${CFG.rounds} round(s). Each figure is the median round's (one round hit by another process on this shared machine does not decide a tail); max is the worst of all rounds; "> 5 ms" and lost count every round.`);
  md.push('- **First second vs steady state.** Messages sent in the first second after the idle are reported apart from the rest: Nagle and delayed-ACK stalls show up early.');
  md.push('- **Brokers.** Aedes in this process; mosquitto with `set_tcp_nodelay true`; mosquitto with Debian\'s default (`set_tcp_nodelay false`, Nagle on the broker\'s sockets — what hosted brokers such as Easemob run and users cannot change).');
  md.push('- "> 5 ms" is the share of messages that took over 5 ms (a stall on loopback).', '');
  const ratioRange = (rows: readonly LatencyRow[], key: string, pick: (x: SplitSummary) => number) => {
    const rs = rows
      .filter((r) => r.key === key)
      .map((r) => {
        const base = rows.find((b) => b.broker === r.broker && b.key === 'rawNoDelay');
        return base ? pick(r.summary) / pick(base.summary) : Number.NaN;
      })
      .filter(Number.isFinite);
    return rs.length ? `${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)}` : '–';
  };
  if (latencyRows.length || roomRows.length) {
    md.push('## Summary', '');
    if (latencyRows.length) {
      md.push(
        `- publish → subscriber, coplay ÷ raw MQTT.js + noDelay over all brokers and transports: steady p50 ${ratioRange(latencyRows, 'coplay', (x) => x.steady.p50)}, ` +
          `p99 ${ratioRange(latencyRows, 'coplay', (x) => x.steady.p99)}, first-second p99 ${ratioRange(latencyRows, 'coplay', (x) => x.first.p99)}.`,
      );
    }
    if (roomRows.length) {
      for (const r of roomRows.filter((x) => x.key === 'room')) {
        const base = roomRows.find((b) => b.broker === r.broker && b.key === 'rawNoDelay')!;
        md.push(
          `- guest → host at 60 Hz on ${r.broker}: coplay room p50 ${fmtUs(r.summary.steady.p50)} / p99 ${fmtUs(r.summary.steady.p99)} against raw + noDelay ${fmtUs(base.summary.steady.p50)} / ${fmtUs(base.summary.steady.p99)} (p99 ratio ${ratio(base.summary.steady.p99, r.summary.steady.p99)}).`,
        );
      }
    }
    md.push('');
  }
  // ---- issue 13 goals, checked against this run's figures ----
  const goals: Array<[string, string, string]> = [];
  const mark = (ok: boolean | undefined) => (ok === undefined ? '–' : ok ? 'met' : '**not met**');
  const defRoom = roomRows.find((r) => r.broker.startsWith('mosquitto default') && r.key === 'room');
  const defRaw = roomRows.find((r) => r.broker.startsWith('mosquitto default') && r.key === 'rawNoDelay');
  if (defRoom && defRaw) {
    const q = defRoom.summary.steady.p99 / defRaw.summary.steady.p99;
    goals.push(['guest → host p99 on a default mosquitto ≤ 1.25 × raw + noDelay', `${q.toFixed(2)} × (${fmtUs(defRoom.summary.steady.p99)} vs ${fmtUs(defRaw.summary.steady.p99)})`, mark(q <= 1.25)]);
  }
  if (browser) {
    goals.push(['key press → host input p50 ≤ 3 ms (bench pages, loopback)', fmtUs(browser.total.p50), mark(browser.total.p50 <= 3000)]);
    goals.push(['key press → host input p99 ≤ one 60 Hz period (16.7 ms)', fmtUs(browser.total.p99), mark(browser.total.p99 <= 16_667)]);
    if (browser.openToFirstInputMs.length) {
      const worst = Math.max(...browser.openToFirstInputMs);
      goals.push(['open guest page → first input accepted ≤ 1 s (production build of the bench guest page)', `${Math.round(worst)} ms worst of ${browser.openToFirstInputMs.length}`, mark(worst <= 1000)]);
    }
    if (demoOpen) {
      const t = demoOpen.total;
      goals.push(['open guest link → first input accepted ≤ 1 s (demo production build, median)', `${Math.round(t.median)} ms median of ${demoOpen.opens} (worst ${Math.round(t.max)} ms)`, mark(t.median <= 1000)]);
    }
  }
  const wsTp = throughput.filter((t) => t.broker.startsWith('mosquitto') && t.broker.endsWith('WebSocket'));
  if (wsTp.length) {
    const rs = [...new Set(wsTp.map((t) => t.broker))].map((b) => {
      const c = wsTp.find((t) => t.broker === b && t.key === 'coplay')!;
      const r = wsTp.find((t) => t.broker === b && t.key === 'rawNoDelay')!;
      return median(c.msgsPerSec) / median(r.msgsPerSec);
    });
    goals.push(['WebSocket throughput in Node ≥ 2 × raw MQTT.js (mosquitto rows, end to end)', rs.map((x) => `${x.toFixed(2)} ×`).join(', '), mark(Math.min(...rs) >= 2)]);
  }
  const pubWs = publishOnly.filter((t) => t.broker.startsWith('mosquitto'));
  if (pubWs.length) {
    const rs = [...new Set(pubWs.map((t) => t.broker))].map((b) => median(pubWs.find((t) => t.broker === b && t.key === 'coplay')!.msgsPerSec) / median(pubWs.find((t) => t.broker === b && t.key === 'rawNoDelay')!.msgsPerSec));
    goals.push(['… publisher side only (mosquitto rows)', rs.map((x) => `${x.toFixed(2)} ×`).join(', '), mark(Math.min(...rs) >= 2)]);
  }
  const wsLat = latencyRows.filter((r) => r.broker.endsWith('WebSocket') && r.key === 'coplay');
  if (wsLat.length) {
    const rs = wsLat.map((r) => r.summary.steady.p50 / latencyRows.find((b) => b.broker === r.broker && b.key === 'rawNoDelay')!.summary.steady.p50);
    goals.push(['WebSocket p50 in Node lower than raw MQTT.js', rs.map((x) => `${x.toFixed(2)} ×`).join(', '), mark(Math.max(...rs) < 1)]);
  }
  if (scale.length) {
    const most = (mode: string) => Math.max(0, ...scale.filter((x) => x.mode === mode && x.latency.p99 <= 5000).map((x) => x.rooms));
    const r = most('raw');
    const c = most('coplay');
    goals.push(['rooms hosted at p99 ≤ 5 ms ≥ 0.9 × raw', `coplay ${c || 'none'} vs raw ${r || 'none'} (sizes tried: ${CFG.scaleRooms.join(', ')})`, r === 0 ? '– (raw itself never met 5 ms here)' : mark(c >= 0.9 * r)]);
    const cpu = CFG.scaleRooms
      .map((n) => {
        const a = scale.find((x) => x.mode === 'raw' && x.rooms === n);
        const b = scale.find((x) => x.mode === 'coplay' && x.rooms === n);
        return a && b ? b.cpuUsPerFrame / a.cpuUsPerFrame : Number.NaN;
      })
      .filter(Number.isFinite);
    if (cpu.length) goals.push(['host CPU per frame ≤ 1.2 × raw', cpu.map((x) => `${x.toFixed(2)} ×`).join(', '), mark(Math.max(...cpu) <= 1.2)]);
  }
  goals.push(['demo guest page ≤ 100 kB gzip', '165 kB (`npm run size`, apps/demo/.size-limit.js; MQTT.js\'s browser bundle alone is 105 kB)', '**not met**']);
  if (goals.length) {
    md.push('## Issue 13 goals against this run', '');
    md.push('| goal | this run | status |', '| --- | --- | --- |');
    for (const [g, v, st] of goals) md.push(`| ${g} | ${v} | ${st} |`);
    md.push('');
  }
  md.push('## What the figures show', '');
  md.push(
    '- **Ping tail (Nagle on the broker).** Any data the host sends on the socket that receives input puts its Linux TCP in "pingpong" mode: its ACKs are delayed (≥ 40 ms) to ride on a reply. A broker without `set_tcp_nodelay` runs Nagle on its socket to the host: after one small segment the host has not ACKed, every later input frame waits for the delayed-ACK timer. Rooms v1 pinged once a second at QoS 1 (the host sends twice per exchange): 7 % of frames > 5 ms, p99 30 ms in `src/experiments/pingMechanism.ts`. Rooms v2 pings at QoS 0, only after a ≥ 45 ms gap in the room\'s input (forced after 10 s), at a random phase: at the noise floor in that experiment (0.46 % late vs 0.19 % without pings).',
    '- **Host broadcasts hit the same stall.** An app that broadcasts state from the host at 30 Hz on the same connection (the demo does) gets guest → host p50 17.9 ms and 83 % of frames > 5 ms on such a broker; the same broadcasts on a second connection: p50 0.2 ms (`VARIANTS=bcast30,bcast30sep`). On brokers you run, set `set_tcp_nodelay true`.',
    '- **WebSocket in Node.** MQTT.js writes a PUBLISH as 5 WebSocket frames there; coplay writes one frame per packet (`wholePacketFrames`), as Chromium does, which is where the WebSocket throughput rows come from.',
    '- **Key press → host.** With input sent on the key event, the stages left are the guest page\'s own event dispatch, the broker hop and MQTT.js\'s receive path; coplay\'s room pipeline on the host is ≤ 0.1 ms at the page\'s 100 µs timer resolution. On the demo the host and guest pages\' own main-thread work (canvas, framework) dominates. MQTT.js\'s browser build runs its `process.nextTick` as `setTimeout(0)` (a bundled shim, not reachable through its options) and uncorks its socket there, so every write waited for a timer task — one task-queue turn behind rendering on a busy page; coplay now uncorks right after publishing in browsers (still one frame per packet). On the demo\'s host page the stage after the message event is read by a watcher that itself waits behind the page\'s tasks, so it is an upper bound.',
    '',
  );
  if (latencyRows.length) {
    md.push(`## publish → subscriber, ${CFG.count} × 32 B QoS 0 messages at ${CFG.rate}/s per run`, '');
    md.push(latencyTable(latencyRows, 'rawNoDelay'), '');
    writeFileSync(join(OUT_DIR, 'benchmarks-latency.svg'), latencyChart('publish → subscriber, steady state: dark = p50, light = p99 (log scale)', chartGroups(latencyRows)));
    md.push('![latency chart](benchmarks-latency.svg)', '');
  }
  if (roomRows.length) {
    md.push(`## Guest → host input at 60 Hz, ${CFG.roomSeconds} s × ${CFG.roomRounds} run(s), ${FRAME_BYTES}-byte frames`, '');
    md.push('The raw subjects publish a frame-sized payload from a "guest" client to a "host" client that has nothing else to do. *coplay room*: `joinRoom` → `guest.send(state)` → the host\'s input for that slot, with the room\'s ping; *secure: false* drops the 8-byte HMAC tag and its check (the cost of authenticated frames); *pings off* is the same room with the ping interval set to an hour, to isolate what the ping exchange costs. The five subjects run side by side in the same time window, so they share its noise; samples of all runs are pooled.', '');
    md.push(latencyTable(roomRows, 'rawNoDelay'), '');
    writeFileSync(join(OUT_DIR, 'benchmarks-room.svg'), latencyChart('guest → host at 60 Hz, steady state: dark = p50, light = p99 (log scale)', chartGroups(roomRows)));
    md.push('![room chart](benchmarks-room.svg)', '');
  }
  if (throughput.length) {
    md.push(`## Throughput: ${CFG.tpCount} × 32 B QoS 0 messages as fast as they go, median of ${CFG.tpRounds}`, '');
    md.push('Publisher and subscriber in this process, 200 publishes per macrotask. Over WebSocket in Node, coplay sends one frame per MQTT packet (`wholePacketFrames`, default); raw MQTT.js, and coplay with `wholePacketFrames: false`, send a PUBLISH as 5 frames. Aedes runs in this process and itself writes 5 frames per outgoing PUBLISH, so its WebSocket rows are bound by Aedes.', '');
    md.push('| broker | subject | msgs/s (median) | runs | ratio vs raw + noDelay |', '| --- | --- | --- | --- | --- |');
    for (const t of throughput) {
      const base = throughput.find((b) => b.broker === t.broker && b.key === 'rawNoDelay')!;
      md.push(
        `| ${t.broker} | ${t.subject} | ${Math.round(median(t.msgsPerSec)).toLocaleString('en')} | ${t.msgsPerSec.map((x) => Math.round(x / 1000) + 'k').join(', ')} | ${t.key === 'rawNoDelay' ? '—' : ratio(median(base.msgsPerSec), median(t.msgsPerSec))} |`,
      );
    }
    md.push('');
    if (publishOnly.length) {
      md.push(`Publisher side only over WebSocket: ${CFG.tpCount} messages to a topic nobody subscribes to, until the client has written the last one (the broker still parses every frame), median of ${CFG.tpRounds + 1}:`, '');
      md.push('| broker | subject | msgs/s (median) | runs | ratio vs raw + noDelay |', '| --- | --- | --- | --- | --- |');
      for (const t of publishOnly) {
        const base = publishOnly.find((b) => b.broker === t.broker && b.key === 'rawNoDelay')!;
        md.push(
          `| ${t.broker} | ${t.subject} | ${Math.round(median(t.msgsPerSec)).toLocaleString('en')} | ${t.msgsPerSec.map((x) => Math.round(x / 1000) + 'k').join(', ')} | ${t.key === 'rawNoDelay' ? '—' : ratio(median(base.msgsPerSec), median(t.msgsPerSec))} |`,
        );
      }
      md.push('');
    }
  }
  if (scale.length) {
    md.push(`## Scale: rooms one Node process hosts at 60 Hz (${scaleBroker})`, '');
    md.push(
      `The hosts run in a child process (its CPU measured with \`process.cpuUsage\`), the guests in another (coplay guests encode and tag frames, so that process works harder in the coplay rows, on the same 2 cores), one connection per room on each side, each guest sending a frame every 16.7 ms on its own phase for ${CFG.scaleSeconds} s. Raw: one MQTT.js client (noDelay) per room subscribed to its input topic, reading the same 16-byte frame. coplay: \`hostRoom\` (authenticated) per room, latency to the room's \`input(2)\` change.`,
      '',
    );
    md.push('| rooms | subject | p50 | p99 | > 5 ms | host CPU (share of one core) | CPU per frame |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const x of scale) {
      md.push(`| ${x.rooms} | ${x.mode === 'raw' ? 'raw MQTT.js + noDelay' : 'coplay'} | ${fmtUs(x.latency.p50)} | ${fmtUs(x.latency.p99)} | ${(x.latency.lateShare * 100).toFixed(2)} % | ${(x.hostCpuShare * 100).toFixed(0)} % | ${x.cpuUsPerFrame.toFixed(1)} µs |`);
    }
    const most = (mode: string) => Math.max(0, ...scale.filter((x) => x.mode === mode && x.latency.p99 <= 5000).map((x) => x.rooms));
    const cpuRatios = CFG.scaleRooms
      .map((n) => {
        const r = scale.find((x) => x.mode === 'raw' && x.rooms === n);
        const c = scale.find((x) => x.mode === 'coplay' && x.rooms === n);
        return r && c ? c.cpuUsPerFrame / r.cpuUsPerFrame : Number.NaN;
      })
      .filter(Number.isFinite);
    md.push('');
    md.push(
      `- Most rooms with p99 ≤ 5 ms among the sizes tried: raw ${most('raw') || 'none'}, coplay ${most('coplay') || 'none'}. coplay CPU per frame ÷ raw: ${cpuRatios.map((x) => x.toFixed(2)).join(', ')} (by size).`,
    );
    if (profile.length) {
      md.push('', 'Host profile at 40 coplay rooms (V8 CPU profile of the measured phase only, self time, idle excluded):', '');
      md.push('| share | function |', '| --- | --- |');
      for (const p of profile) md.push(`| ${(p.share * 100).toFixed(1)} % | \`${p.fn}\` |`);
    }
    md.push('');
  }
  if (browser) {
    md.push(`## Key press → host input in two Chromium pages (${browser.broker})`, '');
    md.push(
      `Two Chromium processes (so neither page is a throttled background tab) load a production build of a host page (\`hostRoom\`) and a guest page (\`joinRoom\` + \`keyboardInput\` + \`attach\`). ` +
        `${browser.presses} CDP key presses (held 40–100 ms, 60–150 ms apart); stamps: the keydown event's timeStamp (guest), the guest's WebSocket \`send\`, the frame reaching the host's network stack (CDP \`Network.webSocketFrameReceived\`), the host page's WebSocket \`message\` event (a listener installed before any page script), and the host's input for slot 2 changing. ` +
        `${browser.matched} of ${browser.presses} presses matched.`,
      '',
    );
    md.push('| stage | p50 | p99 | max |', '| --- | --- | --- | --- |');
    md.push(`| **keydown → host input(2) changes** | **${fmtUs(browser.total.p50)}** | **${fmtUs(browser.total.p99)}** | ${fmtUs(browser.total.max)} |`);
    for (const [k, v] of Object.entries(browser.stages)) md.push(`| ${k} | ${fmtUs(v.p50)} | ${fmtUs(v.p99)} | ${fmtUs(v.max)} |`);
    md.push('');
    if (demo) {
      md.push('', `The same stamps on the demo itself (\`npm run demo\`: Vite dev server, its embedded Aedes broker in the same Node process, the React host page with a 120 Hz game loop drawing a canvas and broadcasting snapshots at 30 Hz, the Vue guest page mirroring them), ${demo.matched} of ${demo.presses} presses of d-pad down. The host's P2 input is read after each WebSocket message on a MessageChannel chain (the demo exposes it only through a getter).`, '');
      md.push('| stage (demo) | p50 | p99 | max |', '| --- | --- | --- | --- |');
      md.push(`| **keydown → host P2 input changes** | **${fmtUs(demo.total.p50)}** | **${fmtUs(demo.total.p99)}** | ${fmtUs(demo.total.max)} |`);
      for (const [k, v] of Object.entries(demo.stages)) md.push(`| ${k} | ${fmtUs(v.p50)} | ${fmtUs(v.p99)} | ${fmtUs(v.max)} |`);
      md.push('');
    }
    md.push(`- Chromium sends ${browser.guestFramesPerPublish?.toFixed(2) ?? '–'} WebSocket frames per \`send\` (CDP \`Network.webSocketFrameSent\` ÷ sends).`);
    md.push(`- keydown → host input p50 of each third of the presses, in order: ${browser.thirdsP50.map(fmtUs).join(', ')}.`);
    md.push(`- The two Chromium processes' page clocks (\`performance.timeOrigin + now()\`) differed by ${fmtUs(browser.clockOffsetMs * 1000)} (host − guest; each page's time origin against its navigation start on the monotonic clock CDP stamps with); guest stamps are corrected by it. Page stamps have the browser's 100 µs resolution.`);
    md.push(`- Open the guest page → the host applies its first input (fresh page, production build, key pressed every ~15 ms from navigation): ${browser.openToFirstInputMs.map((x) => `${Math.round(x)} ms`).join(', ')}.`, '');
    if (demoOpen) {
      md.push(`### Open guest link → first input accepted, on the demo's production build`, '');
      md.push(
        `\`npm run demo -- --prod\` (a \`vite build\` served by Vite's preview server, with the demo's embedded Aedes broker, token authority and token API in the same Node process). For each of ${demoOpen.opens} opens the host page (its own Chromium) opens a new room; a fresh browser context (empty cache, no stored identity) in a second Chromium opens the room's share link while CDP holds d-pad down (a key-down every 10 ms from before navigation). ` +
          'Milestones are stamped in the guest page (Navigation and Resource Timing; a WebSocket wrapper installed before any page script: its first message is the CONNACK, and the first input frame it sends is "seated", since a guest sends one as it handles the host\'s `slot`) and in the host page (P2 input read after each WebSocket message), both on the same clock. Each stage is how long its milestone came after the latest milestone above it (0 when it was reached in parallel), so the stages of one open add up to its total.',
        '',
      );
      md.push('| stage | median | min | max |', '| --- | --- | --- | --- |');
      const ms = (x: number) => (Number.isNaN(x) ? '–' : `${Math.round(x)} ms`);
      const t = demoOpen.total;
      md.push(`| **navigation start → host applies the first input** | **${ms(t.median)}** | ${ms(t.min)} | ${ms(t.max)} |`);
      for (const [k, v] of Object.entries(demoOpen.stageSummary)) md.push(`| ${k} | ${ms(v.median)} | ${ms(v.min)} | ${ms(v.max)} |`);
      md.push('', `- Per open (ms from navigation start to the host applying the input): ${demoOpen.milestones.map((m) => Math.round(m.hostApplied)).join(', ')}.`, '');
    }
  }
  writeFileSync(join(OUT_DIR, 'benchmarks.md'), md.join('\n'));
  writeFileSync(
    join(OUT_DIR, 'benchmarks.json'),
    JSON.stringify({ quick: QUICK, config: CFG, seconds, machine, latency: latencyRows, room: roomRows, throughput, publishOnly, browser, demo, demoOpen, scale, profile }, null, 2) + '\n',
  );
  log(md.join('\n'));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
