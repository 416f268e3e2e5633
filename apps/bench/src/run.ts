import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireTool, startBroker, startMosquitto } from '@coplay/testkit';
import { FRAME_BYTES } from '@coplay/core';
import { demoKeyToHost, demoOpenToFirstInput, keyToHost, type DemoOpenResult, type KeyToHostResult } from './browserBench';
import { P99_GOAL_US, scaleSection, type ScaleConfig, type ScaleResult } from './scaleSection';
import { latencyChart, type ChartGroup } from './chart';
import { guestPageWeight, type GuestPageWeight } from './guestPageWeight';
import { machineInfo } from './machine';
import { latencyRun, publishRun, throughputRun, type PairRun } from './pairBench';
import { roomSubject } from './roomBench';
import { fmtUs, ratio, splitMedianOfRounds, splitSummary, type SplitSummary } from './stats';
import { COPLAY, COPLAY_SPLIT_FRAMES, RAW_DEFAULT, RAW_NODELAY, type PairSubject } from './subjects';

// `npm run bench [-- --quick] [-- --only=latency,room,throughput,scale,browser,size]`. Every coplay figure sits next to raw
// MQTT.js measured in the same run, on the same broker, with the same warm-up and idle, in rotating
// order (A B C, B C A, …) so the machine's noise lands on all sides.
const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const ONLY = argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const want = (s: string) => !ONLY || ONLY.includes(s);
const OUT_DIR = argv.find((a) => a.startsWith('--out='))?.slice(6) ?? join(dirname(fileURLToPath(import.meta.url)), '../../../docs');

const CFG = QUICK
  ? { count: 2000, rate: 1000, rounds: 1, roomSeconds: 6, roomRounds: 1, tpCount: 10_000, tpRounds: 1, presses: 30, opens: 2 }
  : { count: 2000, rate: 1000, rounds: 3, roomSeconds: 10, roomRounds: 2, tpCount: 20_000, tpRounds: 2, presses: 100, opens: 4 };
// The scale section's budget: about 1 min with --quick, about 3 min in full. The ping rows pause
// every guest together now and then: every room sees an input gap at the same moment.
const SCALE: ScaleConfig = QUICK
  ? { sizes: [20, 40], idleMs: 1000, warmMs: 1500, measureMs: 2500, confirmRuns: 0, budgetMs: 60_000, profileRooms: 30, pingRooms: 30, pingMeasureMs: 6000, pingRaw: false, pingGaps: { every: 2000, ms: 80 } }
  : { sizes: [10, 20, 30, 40, 60, 80, 100, 150], idleMs: 1000, warmMs: 1500, measureMs: 3000, confirmRuns: 2, budgetMs: 80_000, profileRooms: 40, pingRooms: 30, pingMeasureMs: 10_000, pingRaw: false, pingGaps: { every: 2000, ms: 80 } };

interface Broker {
  key: string;
  label: string;
  url: string;
  /** mosquitto's pid (its CPU in the scale section). */
  pid?: number | undefined;
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
    out.push({ key: 'mosq-nd-tcp', label: 'mosquitto set_tcp_nodelay, TCP', url: nd.url, pid: nd.pid, close: () => nd.close() });
    out.push({ key: 'mosq-nd-ws', label: 'mosquitto set_tcp_nodelay, WebSocket', url: nd.wsUrl!, close: async () => {} });
    const def = await startMosquitto({ ws: true, tcpNoDelay: false });
    out.push({ key: 'mosq-def-tcp', label: 'mosquitto default config, TCP', url: def.url, pid: def.pid, close: () => def.close() });
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

/** coplay ÷ raw host CPU per frame (`pick`: total or marginal) at every size both ran (medians of runs). */
function cpuRatios(scale: ScaleResult, pick: (v: ScaleResult['sizes'][number]) => number): Array<{ rooms: number; ratio: number }> {
  return [...new Set(scale.sizes.map((v) => v.rooms))]
    .map((n) => {
      const r = scale.sizes.find((v) => v.rooms === n && v.mode === 'raw');
      const c = scale.sizes.find((v) => v.rooms === n && v.mode === 'coplay');
      return { rooms: n, ratio: r && c ? pick(c) / pick(r) : Number.NaN };
    })
    .filter((x) => Number.isFinite(x.ratio));
}

const pct = (x: number | undefined, digits = 0) => (x === undefined || Number.isNaN(x) ? '–' : `${(x * 100).toFixed(digits)} %`);
const us1 = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : `${x.toFixed(1)} µs`);

function scaleReport(scale: ScaleResult): string[] {
  const cfg = scale.config;
  const md: string[] = [];
  md.push(`## Scale: rooms one Node process hosts at 60 Hz (${scale.broker})`, '');
  md.push(
    '- **Run.** A fresh host process and a fresh guest process (one connection per room on each side); both get the same absolute phase times: rooms open and guests join → 0.5 s quiet (a coplay room\'s join pings wait for quiet) → every guest sends a frame every 16.7 ms on its own random phase: ' +
      `**warm-up** ${cfg.warmMs / 1000} s (frames flow, JIT and buffers warm, nothing counted) → **measured** ${cfg.measureMs / 1000} s: host process CPU (\`process.cpuUsage\`, all threads), event-loop use, and the latency of every frame sent in this phase (guest send → host sees it: raw reads the frame, coplay's \`input(2)\` changes) → the guests stop pressing but stay joined → **idle** ${cfg.idleMs / 1000} s from 0.5 s later: the warm host's CPU without input.`,
    '- **Same-cost guests.** Raw guests encode the frame and tag it with HMAC-SHA256 truncated to 8 bytes (@noble/hashes, the construction coplay uses), 24 bytes on the wire like coplay\'s, so neither host shares the 2 cores with a busier load generator. The raw host reads the buttons and ignores the tag: raw MQTT.js has no authentication, checking it is coplay\'s cost. What is left of the difference shows in the guest CPU column.',
    '- **Raw baseline.** One MQTT.js client per room, `setNoDelay(true)`, subscribed to its room\'s input topic; same processes, phases and frame rate as coplay (`hostRoom`, authenticated, default options).',
    `- **Ladder.** Sizes ${cfg.sizes.join(', ')}; at each size raw and coplay run one after the other, the order alternating by size; a subject stops climbing after two failed sizes in a row (one can be another process's burst). Then both subjects run ${cfg.confirmRuns} more time(s) at each subject's best size (and at the next best, if the best one's median fails). A figure at a size is the median of its runs (the mean of the middle two for an even count); a size passes when that p99 ≤ ${P99_GOAL_US / 1000} ms, and a subject's count is the largest size it passed.`,
    scale.raised
      ? '- **Priority.** The host, guest and mosquitto processes of this section run at nice −10, ahead of other work on this shared machine (the same for both subjects): what a dedicated host would see. Other processes still take CPU, shown as *machine busy* below and in the machine section.'
      : '- **Priority.** The bench could not raise its processes\' priority here (needs root or CAP_SYS_NICE), so other work on the machine competes with them on equal terms.',
    '- **CPU per frame.** Host CPU in the measured phase ÷ frames received: *total*, and *marginal* with the idle rate taken out. Raw idles at ~0; coplay\'s idle includes each guest\'s 10 Hz keyframe and the 1 Hz pings of a quiet room, so its marginal figure is a lower bound. *Machine busy*: both cores, every process on the machine (/proc/stat) during the measured phase — other sessions share it, which is what moves p99 between runs.',
    '',
  );
  md.push('| rooms | subject | runs | p50 | p99 | p99.9 | > 5 ms | host CPU (one core) measured / idle | host CPU per frame total / marginal | guest CPU per frame | mosquitto CPU per frame | machine busy | p99 ≤ 5 ms |');
  md.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const v of scale.sizes) {
    md.push(
      `| ${v.rooms} | ${v.mode === 'raw' ? 'raw MQTT.js + noDelay' : 'coplay'} | ${v.runs} | ${fmtUs(v.p50)} | ${fmtUs(v.p99)} | ${fmtUs(v.p999)} | ${pct(v.lateShare, 2)} | ${pct(v.hostCpuShare)} / ${pct(v.idleCpuShare, 1)} | ${us1(v.cpuUsPerFrame)} / ${us1(v.marginalUsPerFrame)} | ${us1(v.guestCpuUsPerFrame)} | ${us1(v.brokerCpuUsPerFrame)} | ${pct(v.machineBusy)} | ${v.pass ? 'yes' : 'no'} |`,
    );
  }
  const ratios = cpuRatios(scale, (v) => v.cpuUsPerFrame);
  md.push('');
  if (scale.budgetHit) md.push(`- The ladder's time budget (${cfg.budgetMs / 1000} s before the confirmation runs, to keep \`npm run bench\` under 10 minutes) ran out before ${scale.budgetHit} rooms: a subject still passing there was not tried higher.`);
  md.push(
    `- Rooms at p99 ≤ 5 ms: raw ${scale.claimed.raw || 'none'}, coplay ${scale.claimed.coplay || 'none'}. coplay ÷ raw host CPU per frame, total: ${ratios.map((x) => `${x.ratio.toFixed(2)} at ${x.rooms}`).join(', ') || '–'}; marginal (idle rate taken out): ${cpuRatios(scale, (v) => v.marginalUsPerFrame).map((x) => `${x.ratio.toFixed(2)} at ${x.rooms}`).join(', ') || '–'}.`,
  );
  const runs = scale.runs.filter((x) => x.run > 0);
  if (runs.length) md.push(`- p99 of the single runs at the confirmed sizes: ${[...new Set(runs.map((x) => x.rooms))].map((n) => (['raw', 'coplay'] as const).map((m) => `${m} ${n}: ${scale.runs.filter((x) => x.rooms === n && x.mode === m).map((x) => fmtUs(x.latency.p99)).join(', ')}`).join('; ')).join('; ')}.`);
  if (scale.profiles.length) {
    const prof = (m: string) => scale.profiles.find((p) => p.mode === m);
    const raw = prof('raw');
    const cop = prof('coplay');
    const n = cop?.rooms ?? raw?.rooms;
    md.push('', `### Where the host's CPU goes at ${n} rooms`, '');
    md.push(
      'V8\'s sampling profiler (the one `--cpu-prof` drives), started through `node:inspector` in the host process over the measured phase only, 250 µs interval, self time per frame received. Excluded: idle, and every sample under `node:inspector` — that is the profiler stopping itself (`dispatch :0`, which used to top this table), not the host\'s work. coplay\'s source lines come from tsx\'s source maps. The JS samples do not see everything the main thread spends: V8 marks time outside JavaScript (Node\'s C++ stream and timer glue, libuv, system calls) as idle, so the main thread\'s CPU (/proc) minus the sampled time is given as its own row. The profiler costs CPU itself (its thread is left out), so these runs are not used for the figures above.',
      '',
    );
    const pkgs = [...new Set([...(raw?.profile.byPackage ?? []), ...(cop?.profile.byPackage ?? [])].map((x) => x.name))];
    const per = (p: typeof raw, name: string) => (p ? p.profile.byPackage.find((x) => x.name === name)?.us ?? 0 : Number.NaN) / (p ? p.step.frames : 1);
    const mainUs = (p: typeof raw) => (p ? (p.step.threads['main user'] ?? 0) + (p.step.threads['main sys'] ?? 0) : Number.NaN);
    const otherUs = (p: typeof raw) => (p ? Object.entries(p.step.threads).filter(([k]) => !k.startsWith('main') && !k.startsWith('v8:Prof')).reduce((a, [, v]) => a + v, 0) : Number.NaN);
    md.push('| where | raw MQTT.js µs per frame | coplay µs per frame |', '| --- | --- | --- |');
    for (const name of pkgs) md.push(`| ${name} | ${per(raw, name).toFixed(2)} | ${per(cop, name).toFixed(2)} |`);
    md.push(`| *main thread CPU (/proc), for scale* | ${(mainUs(raw) / (raw?.step.frames ?? 1)).toFixed(2)} | ${(mainUs(cop) / (cop?.step.frames ?? 1)).toFixed(2)} |`);
    md.push(`| **sampled JavaScript and GC, total** | ${((raw?.profile.busyUs ?? Number.NaN) / (raw?.step.frames ?? 1)).toFixed(2)} | ${((cop?.profile.busyUs ?? Number.NaN) / (cop?.step.frames ?? 1)).toFixed(2)} |`);
    md.push(`| main thread outside the samples (Node C++, libuv, kernel) | ${((mainUs(raw) - (raw?.profile.busyUs ?? 0)) / (raw?.step.frames ?? 1)).toFixed(2)} | ${((mainUs(cop) - (cop?.profile.busyUs ?? 0)) / (cop?.step.frames ?? 1)).toFixed(2)} |`);
    md.push(`| other threads (GC helpers, compiler, libuv; not the profiler's) | ${(otherUs(raw) / (raw?.step.frames ?? 1)).toFixed(2)} | ${(otherUs(cop) / (cop?.step.frames ?? 1)).toFixed(2)} |`);
    md.push('');
    if (raw && cop) {
      // What coplay's host costs on top of raw's, per frame, by where it goes (largest first).
      const rows: Array<[string, number]> = pkgs.map((name) => [name, per(cop, name) - per(raw, name)]);
      rows.push(['main thread outside the samples', (mainUs(cop) - cop.profile.busyUs) / cop.step.frames - (mainUs(raw) - raw.profile.busyUs) / raw.step.frames]);
      rows.push(['other threads', otherUs(cop) / cop.step.frames - otherUs(raw) / raw.step.frames]);
      const extra = rows.reduce((a, [, v]) => a + v, 0);
      md.push(
        `- coplay's host spent ${extra.toFixed(1)} µs more per frame than raw's in these profiled runs: ${rows
          .filter(([, v]) => Math.abs(v) >= 0.5)
          .sort((x, y) => y[1] - x[1])
          .map(([k, v]) => `${k} ${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(1)}`)
          .join(', ')} µs.`,
        '',
      );
    }
    if (cop) {
      md.push(`Top coplay host functions at ${cop.rooms} rooms (self time, share of the sampled time):`, '');
      md.push('| share | µs per frame | function |', '| --- | --- | --- |');
      for (const t of cop.profile.top) md.push(`| ${pct(t.us / cop.profile.busyUs, 1)} | ${(t.us / cop.step.frames).toFixed(2)} | \`${t.fn}\` |`);
      md.push('');
    }
  }
  if (scale.ping) {
    const { split, raw } = scale.ping;
    const off = Math.floor(split.rooms / 2);
    md.push(`### Do rooms' pings align? ${split.rooms} rooms on ${scale.ping.broker}`, '');
    md.push(
      `One coplay host process with ${split.rooms} rooms opened together: ${split.rooms - off} with the default pings, ${off} with pings off (interval one hour), the same guests, phases and time window, so the two halves share the machine's noise; ${split.measureMs / 1000} s measured. Every ${cfg.pingGaps.every / 1000} s all guests pause ${cfg.pingGaps.ms} ms together — a shared hiccup (the network, the broker, the guests' machine), so every room sees an input gap at the same moment: the worst case for pings that wait for a gap in the room's input. The host's socket writes in the measured phase are logged (a bench hook on \`net.Socket\`'s write, for both subjects; writes of one socket < 2 ms apart are one send): on the input connection a coplay host sends only pings, so rooms pinging in the same tick show up as many rooms sending in the same 1 ms. The broker runs Nagle on its sockets (no \`set_tcp_nodelay\`), where each ping can hold the next input frames for a delayed ACK.`,
      '',
    );
    md.push('| subject | rooms | p50 | p99 | p99.9 | > 5 ms | lost | host sends (rooms that sent) | most rooms sending in one 1 ms / 10 ms |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    const row = (label: string, rooms: number, l: typeof split.latency, s: typeof split | undefined) =>
      `| ${label} | ${rooms} | ${fmtUs(l.p50)} | ${fmtUs(l.p99)} | ${fmtUs(l.p999)} | ${pct(l.lateShare, 2)} | ${l.lost} | ${s ? `${s.hostSends} (${s.hostSendRooms})` : '(same process)'} | ${s ? `${s.maxRoomsPer1ms} / ${s.maxRoomsPer10ms}` : ''} |`;
    md.push(row('coplay, pings on', split.rooms - off, split.latency, split));
    if (split.latencyPingsOff) md.push(row('coplay, pings off', off, split.latencyPingsOff, undefined));
    if (raw) md.push(row('raw MQTT.js + noDelay (a run of its own)', raw.rooms, raw.latency, raw));
    md.push('');
    md.push(`- Rooms sending in the same 10 ms bucket (coplay): ${split.roomsPer10ms.map((c, k) => `${c} bucket(s) with ${k + 1}`).filter((_, k) => split.roomsPer10ms[k]! > 0).join(', ') || 'no sends'}; machine ${pct(split.machineBusy)} busy.`, '');
  }
  return md;
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
  let scale: ScaleResult | undefined;
  let guestPage: GuestPageWeight | undefined;
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
      const room = roomSubject('room', 'coplay room (authenticated, pings in input gaps)');
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
      scale = await scaleSection(b, all.find((x) => x.key === 'mosq-def-tcp'), SCALE, log);
    }
    if (want('size') || (want('browser') && !QUICK)) {
      log('size: the demo guest page (vite build)');
      guestPage = await guestPageWeight();
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
  if (scale) {
    const q = (xs: number[]) => {
      const s = xs.filter((x) => !Number.isNaN(x)).sort((x, y) => x - y);
      return s.length ? `${Math.round(s[0]! * 100)}–${Math.round(s[s.length - 1]! * 100)} % (median ${Math.round(s[Math.floor((s.length - 1) / 2)]! * 100)} %)` : '–';
    };
    const busy = scale.runs.map((r) => r.machineBusy ?? Number.NaN);
    const others = scale.runs.map((r) => r.othersBusy ?? Number.NaN);
    md.push(`- scale section, measured phases: both cores ${q(busy)} busy, of which processes other than this bench's host, guests and mosquitto ${q(others)}${Math.max(...others.filter((x) => !Number.isNaN(x))) > 0.1 ? ' — other work ran on this shared machine at the same time' : ''}`);
  }
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
  if (scale) {
    const { raw: r, coplay: c } = scale.claimed;
    const runsAt = (n: number) => Math.min(...scale.sizes.filter((v) => v.rooms === n).map((v) => v.runs));
    goals.push([
      'rooms hosted at p99 ≤ 5 ms ≥ 0.9 × raw',
      `coplay ${c || 'none'} vs raw ${r || 'none'}${r ? ` (${(c / r).toFixed(2)} ×)` : ''}${r || c ? `; medians of ${runsAt(r || c)} run(s) there` : ''}; sizes tried ${scale.config.sizes.filter((n) => scale.sizes.some((v) => v.rooms === n)).join(', ')}`,
      r === 0 ? '– (raw itself never met 5 ms here)' : mark(c >= 0.9 * r),
    ]);
    const cpu = cpuRatios(scale, (v) => v.cpuUsPerFrame);
    if (cpu.length) goals.push(['host CPU per frame ≤ 1.2 × raw (total; by size)', cpu.map((x) => `${x.ratio.toFixed(2)} × at ${x.rooms}`).join(', '), mark(Math.max(...cpu.map((x) => x.ratio)) <= 1.2)]);
    if (scale.ping) {
      const p = scale.ping.split;
      const g = scale.config.pingGaps;
      goals.push([
        `rooms never ping in the same tick (default mosquitto, ${p.rooms} rooms opened together, all guests pausing ${g.ms} ms every ${g.every / 1000} s)`,
        `at most ${p.maxRoomsPer1ms} room(s) sent within one 1 ms (${p.hostSends} sends from ${p.hostSendRooms} rooms in ${p.measureMs / 1000} s)`,
        mark(p.maxRoomsPer1ms <= 2),
      ]);
      const off = p.latencyPingsOff;
      if (off) {
        const q = p.latency.p99 / off.p99;
        goals.push([
          '… and the pings cost those rooms no tail: p99 pings on ≤ 1.25 × the same process\'s rooms with pings off',
          `${q.toFixed(2)} × (${fmtUs(p.latency.p99)} vs ${fmtUs(off.p99)}; > 5 ms ${pct(p.latency.lateShare, 2)} vs ${pct(off.lateShare, 2)})`,
          mark(q <= 1.25),
        ]);
      }
    }
  }
  if (guestPage) {
    goals.push([
      'demo guest page ≤ 100 kB gzip',
      `${(guestPage.gzipBytes / 1000).toFixed(1)} kB: the ${guestPage.files} JS and CSS files guest.html loads after \`vite build\`, gzip -9 (what \`npm run size -w @coplay/demo\` checks)${guestPage.lean ? '' : "; built with MQTT.js's own browser bundle because @coplay/core was not built (npm run build)"}`,
      mark(guestPage.gzipBytes <= 100_000),
    ]);
  }
  if (goals.length) {
    md.push('## Issue 13 goals against this run', '');
    md.push('| goal | this run | status |', '| --- | --- | --- |');
    for (const [g, v, st] of goals) md.push(`| ${g} | ${v} | ${st} |`);
    md.push('');
  }
  md.push('## What the figures show', '');
  md.push(
    '- **Ping tail (Nagle on the broker).** Any data the host sends on the socket that receives input puts its Linux TCP in "pingpong" mode: its ACKs are delayed (≥ 40 ms) to ride on a reply. A broker without `set_tcp_nodelay` runs Nagle on its socket to the host: after one small segment the host has not ACKed, every later input frame waits for the delayed-ACK timer. Rooms v1 pinged once a second at QoS 1 (the host sends twice per exchange): 7 % of frames > 5 ms, p99 30 ms in `src/experiments/pingMechanism.ts`. Rooms v2 ping at QoS 0, at a random phase, and a host sends on the input connection only after 45 ms of quiet on the room\'s topics (judged on a shared 15 ms tick that came on time, after pending reads), never forced there; with an `outgoing` connection pings go on time on that one. The scale section below checks what this does when every room\'s input pauses at once.',
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
  if (scale) md.push(...scaleReport(scale));
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
        `\`npm run demo -- --prod\` (a \`vite build\` served by Vite's preview server, with the demo's embedded Aedes broker, token authority and token API in the same Node process; MQTT.js as @coplay/core's browser build ships it, which the bench builds first if it is missing). For each of ${demoOpen.opens} opens the host page (its own Chromium) opens a new room; a fresh browser context (empty cache, no stored identity) in a second Chromium opens the room's share link while CDP holds d-pad down (a key-down every 10 ms from before navigation). ` +
          'Milestones are stamped in the guest page (Navigation and Resource Timing; a WebSocket wrapper installed before any page script: its first message is the CONNACK, and the first input frame it sends is "seated", since a guest sends one as it handles the host\'s `slot`) and in the host page (P2 input read after each WebSocket message), both on the same clock. Each stage is how long its milestone came after the latest milestone above it (0 when it was reached in parallel), so the stages of one open add up to its total.',
        '',
      );
      md.push('| stage | median | min | max |', '| --- | --- | --- | --- |');
      const ms = (x: number) => (Number.isNaN(x) ? '–' : `${Math.round(x)} ms`);
      const t = demoOpen.total;
      md.push(`| **navigation start → host applies the first input** | **${ms(t.median)}** | ${ms(t.min)} | ${ms(t.max)} |`);
      for (const [k, v] of Object.entries(demoOpen.stageSummary)) md.push(`| ${k} | ${ms(v.median)} | ${ms(v.min)} | ${ms(v.max)} |`);
      md.push('', `- Per open (ms from navigation start to the host applying the input): ${demoOpen.milestones.map((m) => Math.round(m.hostApplied)).join(', ')}.`);
      md.push(
        '- Where it went (CPU profiles and WebSocket traces of these opens): the scripts stage is the page\'s JavaScript being compiled and run (MQTT.js\'s browser bundle the largest share); the room handshake is CONNACK → SUBSCRIBE → the host\'s retained presence → the guest\'s key agreement and join → the host\'s key agreement and `slot`, every hop waiting its turn on three busy main threads (guest page, host page drawing at 120 Hz, the demo\'s Node process). Fixed in coplay: MQTT.js built a 65,536-entry number cache before writing CONNECT (`writeCache: false` in browsers: WebSocket created → open went from a median 133 ms to 16 ms), SUBSCRIBE waited for MQTT.js\'s `setTimeout` uncork like publishes did, link keys took two more WebCrypto round trips (HKDF now in @noble/hashes), and a join ping (QoS 0) overtaking the `slot` (QoS 1) in the broker made the guest drop the `slot` as a replay and wait for its 1 s join retry.',
        '',
      );
    }
  }
  writeFileSync(join(OUT_DIR, 'benchmarks.md'), md.join('\n'));
  writeFileSync(
    join(OUT_DIR, 'benchmarks.json'),
    JSON.stringify({ quick: QUICK, config: CFG, seconds, machine, latency: latencyRows, room: roomRows, throughput, publishOnly, browser, demo, demoOpen, scale, guestPage }, null, 2) + '\n',
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
