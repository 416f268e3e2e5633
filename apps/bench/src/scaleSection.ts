import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { raisePriority, restorePriority, scaleStep, summarizeProfile, type Mode, type ProfileSummary, type ScaleStep, type StepOptions } from './scaleBench';

export interface ScaleConfig {
  /** The size ladder; each subject climbs it until it clearly fails. */
  sizes: number[];
  idleMs: number;
  warmMs: number;
  measureMs: number;
  /** Extra runs of both subjects at each subject's claimed size (medians of 1 + this). */
  confirmRuns: number;
  /** Wall-time budget of the ladder: no new size starts after it (the first confirmation round still runs). */
  budgetMs: number;
  profileRooms: number;
  /** Default-mosquitto ping rows: rooms (half of them with pings off) and the measured phase. */
  pingRooms: number;
  pingMeasureMs: number;
  /** Also run raw MQTT.js at `pingRooms` on the default mosquitto. */
  pingRaw: boolean;
  /** In the ping rows every guest pauses `ms` together every `every` ms: every room sees an input gap at once. */
  pingGaps: { every: number; ms: number };
}

export interface ScaleBroker {
  label: string;
  url: string;
  pid?: number | undefined;
}

export interface ScaleRun extends ScaleStep {
  /** 0 for the ladder's pass, 1… for confirmation runs. */
  run: number;
}

export interface SizeVerdict {
  rooms: number;
  mode: Mode;
  runs: number;
  /** Median over runs (per figure). */
  p50: number;
  p99: number;
  p999: number;
  lateShare: number;
  cpuUsPerFrame: number;
  marginalUsPerFrame: number;
  hostCpuShare: number;
  idleCpuShare: number;
  guestCpuUsPerFrame: number;
  brokerCpuUsPerFrame: number | undefined;
  machineBusy: number | undefined;
  hostSends: number;
  pass: boolean;
}

export interface ScaleResult {
  config: ScaleConfig;
  broker: string;
  /** The bench's processes ran at a raised priority (nice −10). */
  raised: boolean;
  /** The ladder's time budget ran out before this size (still climbing). */
  budgetHit?: number | undefined;
  runs: ScaleRun[];
  sizes: SizeVerdict[];
  /** Most rooms with median p99 ≤ 5 ms at that size and every smaller size tried (0: none). */
  claimed: Record<Mode, number>;
  profiles: Array<{ mode: Mode; rooms: number; step: ScaleStep; profile: ProfileSummary }>;
  ping?: { broker: string; split: ScaleStep; raw?: ScaleStep | undefined } | undefined;
}

/** p99 at or under this is a pass. */
export const P99_GOAL_US = 5000;

// With two runs the median is their mean, not the better one.
const mid = (xs: readonly number[]) => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (!s.length) return Number.NaN;
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function verdicts(runs: readonly ScaleRun[]): SizeVerdict[] {
  const out: SizeVerdict[] = [];
  const keys = [...new Set(runs.map((r) => `${r.rooms}:${r.mode}`))];
  for (const k of keys) {
    const rs = runs.filter((r) => `${r.rooms}:${r.mode}` === k);
    const m = (f: (r: ScaleRun) => number) => mid(rs.map(f));
    const p99 = m((r) => r.latency.p99);
    out.push({
      rooms: rs[0]!.rooms,
      mode: rs[0]!.mode,
      runs: rs.length,
      p50: m((r) => r.latency.p50),
      p99,
      p999: m((r) => r.latency.p999),
      lateShare: m((r) => r.latency.lateShare),
      cpuUsPerFrame: m((r) => r.cpuUsPerFrame),
      marginalUsPerFrame: m((r) => r.marginalUsPerFrame),
      hostCpuShare: m((r) => r.hostCpuShare),
      idleCpuShare: m((r) => r.idleCpuShare),
      guestCpuUsPerFrame: m((r) => r.guestCpuUsPerFrame),
      brokerCpuUsPerFrame: rs.some((r) => r.brokerCpuUsPerFrame !== undefined) ? m((r) => r.brokerCpuUsPerFrame ?? Number.NaN) : undefined,
      machineBusy: rs.some((r) => r.machineBusy !== undefined) ? m((r) => r.machineBusy ?? Number.NaN) : undefined,
      hostSends: m((r) => r.hostSends),
      pass: p99 <= P99_GOAL_US,
    });
  }
  return out.sort((a, b) => a.rooms - b.rooms || a.mode.localeCompare(b.mode));
}

/** Most rooms that passed (a failed smaller size, noise on this shared machine, stays visible in the table). */
function claim(sizes: readonly SizeVerdict[], mode: Mode): number {
  return Math.max(0, ...sizes.filter((x) => x.mode === mode && x.pass).map((x) => x.rooms));
}

/**
 * The scale section: a size ladder for raw MQTT.js and coplay, interleaved (raw, coplay at one size,
 * then coplay, raw at the next), each subject stopping once it clearly fails; more runs of both at
 * each subject's best size, whose medians decide; V8 profiles of both hosts; and, on a mosquitto with
 * Debian's default config, rooms with pings on against rooms with pings off in the same process.
 */
export async function scaleSection(
  broker: ScaleBroker,
  defaultBroker: ScaleBroker | undefined,
  cfg: ScaleConfig,
  log: (...a: unknown[]) => void,
): Promise<ScaleResult> {
  // The bench's processes ahead of other work on this shared machine: the brokers here, each run's
  // host and guests in scaleStep. The brokers go back to normal after this section.
  const raised = raisePriority(broker.pid) && (!defaultBroker || raisePriority(defaultBroker.pid));
  try {
    return await ladderAndRest(broker, defaultBroker, cfg, log, raised);
  } finally {
    restorePriority(broker.pid);
    restorePriority(defaultBroker?.pid);
  }
}

async function ladderAndRest(
  broker: ScaleBroker,
  defaultBroker: ScaleBroker | undefined,
  cfg: ScaleConfig,
  log: (...a: unknown[]) => void,
  raised: boolean,
): Promise<ScaleResult> {
  const base = (b: ScaleBroker): StepOptions => ({ idleMs: cfg.idleMs, warmMs: cfg.warmMs, measureMs: cfg.measureMs, brokerPid: b.pid });
  const runs: ScaleRun[] = [];
  const t0 = Date.now();
  const overBudget = () => Date.now() - t0 > cfg.budgetMs;
  let budgetHit: number | undefined;
  const step = async (mode: Mode, rooms: number, run: number) => {
    const t = Date.now();
    const s = await scaleStep(broker.url, mode, rooms, base(broker));
    log(
      `  ${mode} ${rooms} rooms: p99 ${(s.latency.p99 / 1000).toFixed(2)} ms, ${s.cpuUsPerFrame.toFixed(1)} µs CPU/frame, machine ${s.machineBusy === undefined ? '?' : Math.round(s.machineBusy * 100)} % busy (${((Date.now() - t) / 1000).toFixed(1)} s)`,
    );
    runs.push({ ...s, run });
    return s;
  };
  const alive: Record<Mode, boolean> = { raw: true, coplay: true };
  const failsInRow: Record<Mode, number> = { raw: 0, coplay: 0 };
  for (const [i, n] of cfg.sizes.entries()) {
    const order = (i % 2 ? (['coplay', 'raw'] as const) : (['raw', 'coplay'] as const)).filter((m) => alive[m]);
    if (!order.length) break;
    if (overBudget()) {
      budgetHit = n;
      log(`scale: time budget spent, ${n} rooms and up not tried`);
      break;
    }
    log(`scale: ${n} rooms on ${broker.label}`);
    for (const mode of order) {
      const s = await step(mode, n, 0);
      // One failed size can be a burst from another process; two in a row is a clear failure.
      failsInRow[mode] = s.latency.p99 <= P99_GOAL_US ? 0 : failsInRow[mode] + 1;
      if (failsInRow[mode] >= 2) alive[mode] = false;
    }
  }
  // Confirmation: both subjects again at each subject's best size, so that size's verdict (and the
  // CPU ratio there) is a median of several interleaved runs. If the median fails, the next best
  // size is confirmed the same way (twice at most per subject).
  const confirmed = new Set<number>();
  for (let round = 0; round < 2 && cfg.confirmRuns > 0; round++) {
    const now = verdicts(runs);
    const todo = [...new Set([claim(now, 'raw'), claim(now, 'coplay')])].filter((n) => n > 0 && !confirmed.has(n));
    if (!todo.length) break;
    // The first round always runs (the verdicts rest on it); a second one only within the budget.
    if (round > 0 && overBudget()) break;
    for (const n of todo) {
      confirmed.add(n);
      log(`scale: confirming ${n} rooms`);
      for (let r = 1; r <= cfg.confirmRuns; r++) {
        for (const mode of r % 2 ? (['coplay', 'raw'] as const) : (['raw', 'coplay'] as const)) await step(mode, n, r);
      }
    }
  }
  const sizes = verdicts(runs);

  const profiles: ScaleResult['profiles'] = [];
  const dir = mkdtempSync(join(tmpdir(), 'coplay-prof-'));
  try {
    for (const mode of ['raw', 'coplay'] as const) {
      log(`scale: profiling the ${mode} host at ${cfg.profileRooms} rooms`);
      const file = join(dir, `${mode}.cpuprofile`);
      const s = await scaleStep(broker.url, mode, cfg.profileRooms, { ...base(broker), profileFile: file });
      profiles.push({ mode, rooms: cfg.profileRooms, step: s, profile: summarizeProfile(file, 18) });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  let ping: ScaleResult['ping'];
  if (defaultBroker) {
    const o = { ...base(defaultBroker), measureMs: cfg.pingMeasureMs, gaps: cfg.pingGaps };
    log(`scale: ${cfg.pingRooms} rooms on ${defaultBroker.label}, half with pings off`);
    const split = await scaleStep(defaultBroker.url, 'coplay', cfg.pingRooms, { ...o, pingsOffRooms: Math.floor(cfg.pingRooms / 2) });
    let raw: ScaleStep | undefined;
    if (cfg.pingRaw) {
      log(`scale: raw MQTT.js, ${cfg.pingRooms} rooms on ${defaultBroker.label}`);
      raw = await scaleStep(defaultBroker.url, 'raw', cfg.pingRooms, o);
    }
    ping = { broker: defaultBroker.label, split, raw };
  }
  return { config: cfg, broker: broker.label, raised, budgetHit, runs, sizes, claimed: { raw: claim(sizes, 'raw'), coplay: claim(sizes, 'coplay') }, profiles, ping };
}
