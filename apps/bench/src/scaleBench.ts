import { fork, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { findSourceMap } from 'node:module';
import net from 'node:net';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { availableParallelism, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createConnection, formatInvite, guestWill, hostRoom, joinRoom, NEUTRAL, type Connection } from '@coplay/core';
import { hmac } from '@noble/hashes/hmac';
import { sha256 } from '@noble/hashes/sha2';
import mqtt, { type MqttClient } from 'mqtt';
import { summarize, type LatencySummary } from './stats';
import { connected, until } from './until';

/**
 * Scale: how many rooms one Node process hosts at 60 Hz. The hosts run in one child process, the
 * guests in another, one connection per room on each side. Frame `k` of a room carries button mask
 * `k + 1`; the guest process logs when it sent it, the host process when the room's input changed to
 * it. Raw: an MQTT.js client (noDelay) per room subscribed to the room's input topic, reading the
 * same frame. Both guest processes do the same work per frame (encode + HMAC-SHA256 tag with
 * @noble/hashes, 24 bytes on the wire), so neither subject's host shares the 2 cores with a busier
 * load generator; the guests' CPU is measured to show it.
 *
 * One step: rooms open and guests join; every guest sends at 60 Hz, on its own phase, through a
 * warm-up and the measured phase; then an idle phase (rooms open, guests joined, nobody pressing)
 * measures what the warm host costs without input. Host CPU, latency samples and the host's own
 * socket writes count only frames sent in the measured phase. The phases are absolute times both
 * children get from the parent.
 */
export type Mode = 'coplay' | 'raw';
const FRAME = 16;
const TAGGED = FRAME + 8;
const self = fileURLToPath(import.meta.url);
/** Between the last frame sent and the idle phase. */
const IDLE_SETTLE_MS = 500;
/** Ping interval of the "pings off" rooms (an hour: none in a run). */
const PINGS_OFF_MS = 3_600_000;

interface Plan {
  /** Epoch ms: the idle phase starts. */
  t0: number;
  idleMs: number;
  warmMs: number;
  measureMs: number;
  /** Every `every` ms of sending, all guests pause `ms` together (a shared input gap). */
  gaps?: { every: number; ms: number } | undefined;
}
const phases = (p: Plan) => {
  const sendFrom = p.t0;
  const measureFrom = sendFrom + p.warmMs;
  const measureTo = measureFrom + p.measureMs;
  // Idle after the input, not before it: the host's JIT is warm by then (before, the idle phase also
  // held the compiler's start-up work). It begins once the last frames have landed.
  const idleFrom = measureTo + IDLE_SETTLE_MS;
  return { sendFrom, measureFrom, measureTo, idleFrom, idleTo: idleFrom + p.idleMs };
};

interface HostArgs {
  url: string;
  mode: Mode;
  rooms: number;
  tag: string;
  /** coplay: rooms with this index and up run with pings off. */
  pingsOffFrom: number;
  /** Write a V8 CPU profile of the measured phase here. */
  profileFile?: string | undefined;
}
interface HostReady {
  type: 'ready';
  invites: string[];
}
interface HostDone {
  type: 'done';
  /** Per room: [seq, epochMs, seq, epochMs, …]. */
  recv: number[][];
  idleCpuUs: number;
  cpuUs: number;
  /** Event-loop utilisation over the measured phase (share of wall time the main thread was busy). */
  elu: number;
  /** The host's socket writes in the measured phase: [socket, ms after the phase began, …]. */
  writes: number[];
  /** CPU µs by thread name (Linux), idle phase and measured phase. */
  idleThreads: Record<string, number>;
  threads: Record<string, number>;
}
interface GuestDone {
  type: 'sent';
  sent: number[][];
  cpuUs: number;
}

/** CPU time (µs) of this process's threads by name, from /proc (Linux); the main thread is "main". */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const raw = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = tid === String(process.pid) ? 'main' : raw.slice(raw.indexOf('(') + 1, raw.lastIndexOf(')')).replace(/\d+$/, '');
      const f = raw.slice(raw.lastIndexOf(') ') + 2).split(' ');
      out.set(`${name} user`, (out.get(`${name} user`) ?? 0) + Number(f[11]) * 10_000);
      out.set(`${name} sys`, (out.get(`${name} sys`) ?? 0) + Number(f[12]) * 10_000);
    }
  } catch {
    // not Linux
  }
  return out;
}
const threadDelta = (a: Map<string, number>, b: Map<string, number>) => Object.fromEntries([...b].map(([k, v]) => [k, v - (a.get(k) ?? 0)]));

const epoch = () => performance.timeOrigin + performance.now();
const at = (epochMs: number, fn: () => void) => setTimeout(fn, Math.max(0, epochMs - epoch()));

// ---------- child roles ----------

/**
 * Counts the process's socket writes by socket while `on`: the host of a room writes only pings
 * (coplay) or keepalives during input, so this shows whether rooms send in the same tick. A bench
 * instrument on Node's net.Socket, the same for both subjects; MQTT.js and coplay are not touched.
 */
function socketWriteLog(): { start(at: number): void; stop(): number[] } {
  const ids = new WeakMap<object, number>();
  let nextId = 0;
  const log: number[] = [];
  let from = Number.NaN;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- re-bound with apply below
  const write = net.Socket.prototype.write;
  net.Socket.prototype.write = function (this: net.Socket, ...args: unknown[]) {
    if (!Number.isNaN(from)) {
      let id = ids.get(this);
      if (id === undefined) ids.set(this, (id = nextId++));
      log.push(id, epoch() - from);
    }
    return write.apply(this, args as Parameters<typeof write>);
  };
  return {
    start(t) {
      from = t;
    },
    stop() {
      from = Number.NaN;
      return log;
    },
  };
}

async function hostRole(a: HostArgs): Promise<void> {
  const recv: number[][] = Array.from({ length: a.rooms }, () => []);
  const closers: Array<() => Promise<unknown>> = [];
  const invites: string[] = [];
  if (a.mode === 'coplay') {
    await Promise.all(
      Array.from({ length: a.rooms }, async (_, r) => {
        const conn = createConnection({ url: a.url, clientId: `${a.tag}h${r}` });
        await connected(conn);
        const host = hostRoom(conn, { room: `${a.tag}r${r}`, maxPlayers: 2, ...(r >= a.pingsOffFrom ? { pingIntervalMs: PINGS_OFF_MS } : {}) });
        invites[r] = formatInvite(await host.invite);
        host.input(2).value$.subscribe((s) => {
          if (s.buttons !== 0) recv[r]!.push(s.buttons - 1, epoch());
        });
        closers.push(() => host.close(), () => conn.close());
      }),
    );
  } else {
    await Promise.all(
      Array.from({ length: a.rooms }, async (_, r) => {
        const c = await mqtt.connectAsync(a.url, { clientId: `${a.tag}h${r}`, reconnectPeriod: 0 });
        (c.stream as { setNoDelay?: (b: boolean) => void }).setNoDelay?.(true);
        c.on('message', (_t, p) => {
          if (p.length !== TAGGED) return;
          const buttons = p.readUInt32BE(8);
          if (buttons !== 0) recv[r]!.push(buttons - 1, epoch());
        });
        await c.subscribeAsync(`raw/${a.tag}/r${r}/i/+`, { qos: 0 });
        invites[r] = '';
        closers.push(() => c.endAsync());
      }),
    );
  }
  // Not while profiling: the hook would show up in the profile.
  const writes = a.profileFile ? { start() {}, stop: () => [] } : socketWriteLog();
  process.send!({ type: 'ready', invites } satisfies HostReady);
  const plan = await new Promise<Plan>((resolve) => process.once('message', (m: { plan: Plan }) => resolve(m.plan)));
  const { measureFrom, measureTo, idleFrom, idleTo } = phases(plan);
  // The profile covers the measured phase only (what --cpu-prof gives, minus start-up and warm-up).
  const session = a.profileFile ? new Session() : undefined;
  const measured = await window(measureFrom, measureTo, {
    async before() {
      if (!session) return;
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 250 });
      await session.post('Profiler.start');
    },
    start: () => writes.start(epoch()),
  });
  const log = writes.stop();
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    writeFileSync(a.profileFile!, JSON.stringify(mapToSources(profile)));
  }
  const idle = await window(idleFrom, idleTo);
  await Promise.all(closers.map((c) => c().catch(() => {})));
  const done: HostDone = {
    type: 'done',
    recv,
    idleCpuUs: idle.cpuUs,
    idleThreads: idle.threads,
    cpuUs: measured.cpuUs,
    threads: measured.threads,
    elu: measured.elu,
    writes: log,
  };
  // Exit only once the (large) result has gone through the IPC channel.
  process.send!(done, () => process.exit(0));
}

/** Process CPU, CPU by thread and event-loop utilisation between two epoch times. */
async function window(
  from: number,
  to: number,
  hooks: { before?: () => Promise<void>; start?: () => void } = {},
): Promise<{ cpuUs: number; threads: Record<string, number>; elu: number }> {
  const begin = await new Promise<{ cpu: NodeJS.CpuUsage; threads: Map<string, number>; elu: EventLoopUtilization }>((resolve) =>
    at(from, () => {
      void (async () => {
        await hooks.before?.();
        hooks.start?.();
        resolve({ elu: performance.eventLoopUtilization(), threads: threadCpu(), cpu: process.cpuUsage() });
      })();
    }),
  );
  return new Promise((resolve) =>
    at(to, () => {
      const d = process.cpuUsage(begin.cpu);
      resolve({ cpuUs: d.user + d.system, threads: threadDelta(begin.threads, threadCpu()), elu: performance.eventLoopUtilization(begin.elu).utilization });
    }),
  );
}

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: CallFrame; children?: number[] | undefined }>;
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** tsx compiles each TypeScript file to one line: its source maps give the profile back its lines. */
function mapToSources<P extends { nodes: Array<{ callFrame: CallFrame }> }>(profile: P): P {
  for (const n of profile.nodes) {
    const cf = n.callFrame;
    if (!cf.url.startsWith('file://') || cf.url.includes('/node_modules/')) continue;
    const e = findSourceMap(cf.url)?.findEntry(cf.lineNumber, cf.columnNumber) as { originalLine?: number; originalColumn?: number } | undefined;
    if (e?.originalLine !== undefined) {
      cf.lineNumber = e.originalLine;
      cf.columnNumber = e.originalColumn ?? 0;
    }
  }
  return profile;
}

/** The same work per frame as a coplay guest's tag: HMAC-SHA256 over context ‖ seq ‖ frame, 8 bytes kept. */
function rawFrameTagger(topic: string): (frame: Buffer, seq: number) => void {
  const base = hmac.create(sha256, crypto.getRandomValues(new Uint8Array(32))).update(new TextEncoder().encode(`raw\u0000${topic}\u0000`));
  let scratch: ReturnType<typeof hmac.create> | undefined;
  const out = new Uint8Array(32);
  const seqBytes = new Uint8Array(4);
  return (frame, seq) => {
    new DataView(seqBytes.buffer).setUint32(0, seq);
    scratch = base._cloneInto(scratch);
    scratch.update(seqBytes).update(frame.subarray(0, FRAME)).digestInto(out);
    frame.set(out.subarray(0, TAGGED - FRAME), FRAME);
  };
}

async function guestRole(url: string, mode: Mode, tag: string): Promise<void> {
  // Started together with the host (to overlap the two start-ups); the invites come once the rooms are open.
  const invites = await new Promise<string[]>((resolve) => process.once('message', (m: { invites: string[] }) => resolve(m.invites)));
  const rooms = invites.length;
  const sends: ((seq: number) => void)[] = [];
  const closers: Array<() => Promise<unknown>> = [];
  if (mode === 'coplay') {
    await Promise.all(
      invites.map(async (invite, r) => {
        const id = `${tag}g${r}`;
        const conn: Connection = createConnection({ url, clientId: id, will: guestWill(`${tag}r${r}`, id) });
        await connected(conn);
        const guest = joinRoom(conn, { invite, browserEvents: false });
        await until(guest.status.value$, (s) => s.status === 'playing', 'guest playing', 30_000);
        sends[r] = (seq) => guest.send({ ...NEUTRAL, buttons: (seq % 131_000) + 1 });
        closers.push(() => guest.close(), () => conn.close());
      }),
    );
  } else {
    await Promise.all(
      invites.map(async (_, r) => {
        const c: MqttClient = await mqtt.connectAsync(url, { clientId: `${tag}g${r}`, reconnectPeriod: 0 });
        (c.stream as { setNoDelay?: (b: boolean) => void }).setNoDelay?.(true);
        const topic = `raw/${tag}/r${r}/i/g`;
        const tagFrame = rawFrameTagger(topic);
        sends[r] = (seq) => {
          const b = Buffer.alloc(TAGGED);
          b.writeUInt16BE(seq & 0xffff, 2);
          b.writeUInt32BE((seq % 131_000) + 1, 8);
          tagFrame(b, seq);
          c.publish(topic, b, { qos: 0 });
        };
        closers.push(() => c.endAsync());
      }),
    );
  }
  process.send!({ type: 'ready' });
  const plan = await new Promise<Plan>((resolve) => process.once('message', (m: { plan: Plan }) => resolve(m.plan)));
  const { sendFrom, measureFrom, measureTo } = phases(plan);
  // Each room ticks at 60 Hz on its own phase, as independent guests would.
  const sent: number[][] = Array.from({ length: rooms }, () => []);
  const periodMs = 1000 / 60;
  const next = Array.from({ length: rooms }, () => sendFrom + Math.random() * periodMs);
  const seq = new Array<number>(rooms).fill(0);
  let cpu0: NodeJS.CpuUsage | undefined;
  let cpuUs = 0;
  await new Promise((r) => at(sendFrom, () => r(undefined)));
  for (;;) {
    const now = epoch();
    if (now >= measureTo) break;
    if (!cpu0 && now >= measureFrom) cpu0 = process.cpuUsage();
    const gap = plan.gaps && (now - sendFrom) % plan.gaps.every >= plan.gaps.every - plan.gaps.ms;
    for (let r = 0; r < rooms; r++) {
      if (gap) {
        while (next[r]! <= now) next[r]! += periodMs;
        continue;
      }
      if (now >= next[r]!) {
        sent[r]!.push(seq[r]!, epoch());
        sends[r]!(seq[r]!);
        seq[r]!++;
        // A 60 Hz sampler that was held up skips the ticks it missed: no burst of stale frames
        // (coplay's host would rate-limit a burst; raw would not), same phase after.
        do next[r]! += periodMs;
        while (next[r]! <= now);
      }
    }
    await new Promise((res) => setTimeout(res, 1));
  }
  if (cpu0) {
    const d = process.cpuUsage(cpu0);
    cpuUs = d.user + d.system;
  }
  // Frames still in flight arrive before the host is told to stop.
  await new Promise((r) => setTimeout(r, 300));
  process.send!({ type: 'sent', sent, cpuUs } satisfies GuestDone);
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  await Promise.all(closers.map((c) => c().catch(() => {})));
  process.exit(0);
}

// ---------- parent ----------

/**
 * Scheduling priority of the bench's own processes (host, guests, broker): ahead of other work on a
 * shared machine, the same for both subjects. Needs the right to raise priority (root or
 * CAP_SYS_NICE); without it nothing changes, and the report says so.
 */
export const BENCH_NICE = -10;
export function raisePriority(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    setPriority(pid, BENCH_NICE);
    return true;
  } catch {
    return false;
  }
}

export function restorePriority(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    setPriority(pid, 0);
  } catch {
    // gone, or never raised
  }
}

function child(role: string, args: string[]): ChildProcess {
  const c = fork(self, [role, ...args], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  raisePriority(c.pid);
  return c;
}
const nextMessage = <T>(c: ChildProcess, type: string): Promise<T> =>
  new Promise((resolve, reject) => {
    const on = (m: { type: string }) => {
      if (m.type === type) {
        c.off('message', on);
        resolve(m as T);
      }
    };
    c.on('message', on);
    c.once('exit', (code) => reject(new Error(`bench: ${type} never came (child exit ${code})`)));
  });

/** CPU time of a process (all threads) from /proc, in µs; undefined off Linux. */
function procCpuUs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) * 10_000; // utime + stime in USER_HZ (100) ticks
  } catch {
    return undefined;
  }
}
/** Busy share of the whole machine (all cores, every process) from /proc/stat. */
function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3]! + (f[4] ?? 0);
    const total = f.reduce((x, y) => x + y, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

export interface StepOptions {
  idleMs: number;
  warmMs: number;
  measureMs: number;
  /** coplay: this many of the rooms (the last ones) run with pings off; their latency is reported apart. */
  pingsOffRooms?: number;
  /** All guests pause together: `ms` every `every` ms of sending (no frames then). */
  gaps?: { every: number; ms: number } | undefined;
  profileFile?: string;
  /** Broker pid, for its CPU per frame. */
  brokerPid?: number | undefined;
}

export interface ScaleStep {
  mode: Mode;
  rooms: number;
  /** Latency of frames sent in the measured phase (all rooms, or the pings-on rooms of a split step). */
  latency: LatencySummary;
  /** Split steps: the rooms with pings off. */
  latencyPingsOff?: LatencySummary;
  frames: number;
  measureMs: number;
  /** Host process CPU (all threads) per frame received: total, and with the idle rate taken out. */
  cpuUsPerFrame: number;
  marginalUsPerFrame: number;
  /** Host CPU as a share of one core: measured phase, and idle (rooms open, no input). */
  hostCpuShare: number;
  idleCpuShare: number;
  elu: number;
  guestCpuUsPerFrame: number;
  brokerCpuUsPerFrame?: number | undefined;
  /** Busy share of the whole machine (both cores, every process) during the measured phase. */
  machineBusy?: number | undefined;
  /** The part of `machineBusy` that was not this run's host, guests or broker: other work on the machine. */
  othersBusy?: number | undefined;
  /** What the host sent in the measured phase (see {@link sendBursts}). */
  hostSends: number;
  hostSendRooms: number;
  /** The most rooms whose host sent within one 1 ms bucket ("the same tick") and one 10 ms bucket. */
  maxRoomsPer1ms: number;
  maxRoomsPer10ms: number;
  /** `[k] =` how many 10 ms buckets had exactly k + 1 rooms sending. */
  roomsPer10ms: number[];
  /** Host CPU µs by thread (Linux): idle phase and measured phase. */
  idleThreads: Record<string, number>;
  threads: Record<string, number>;
}

/**
 * One run: `rooms` rooms at 60 Hz; host CPU, guest → host latency, the host's own writes. `options`
 * may be just the measured phase's length in seconds.
 */
export async function scaleStep(url: string, mode: Mode, rooms: number, options: StepOptions | number): Promise<ScaleStep> {
  // A number is the measured phase in seconds, with the section's default idle and warm-up.
  const o: StepOptions = typeof options === 'number' ? { idleMs: 1000, warmMs: 1500, measureMs: options * 1000 } : options;
  const tag = `s${Math.random().toString(36).slice(2, 7)}`;
  const pingsOffFrom = rooms - (mode === 'coplay' ? (o.pingsOffRooms ?? 0) : 0);
  const host = child('--scale-host', [JSON.stringify({ url, mode, rooms, tag, pingsOffFrom, profileFile: o.profileFile } satisfies HostArgs)]);
  const guest = child('--scale-guest', [url, mode, tag]);
  const hostExit = new Promise((r) => host.once('exit', r));
  const guestExit = new Promise((r) => guest.once('exit', r));
  const ready = await nextMessage<HostReady>(host, 'ready');
  const guestReady = nextMessage(guest, 'ready');
  guest.send({ invites: ready.invites });
  await guestReady;
  // Input starts 500 ms after the last guest joined: a room's join pings wait for quiet on its input
  // link and go out then, not in the measured phase.
  const plan: Plan = { t0: epoch() + 500, idleMs: o.idleMs, warmMs: o.warmMs, measureMs: o.measureMs, gaps: o.gaps };
  const { measureFrom, measureTo } = phases(plan);
  host.send({ plan });
  guest.send({ plan });
  let broker0: number | undefined;
  let machine0: ReturnType<typeof machineTicks>;
  let brokerUs: number | undefined;
  let machineBusy: number | undefined;
  at(measureFrom, () => {
    broker0 = procCpuUs(o.brokerPid);
    machine0 = machineTicks();
  });
  at(measureTo, () => {
    const b = procCpuUs(o.brokerPid);
    brokerUs = b !== undefined && broker0 !== undefined ? b - broker0 : undefined;
    const m = machineTicks();
    machineBusy = m && machine0 ? (m.busy - machine0.busy) / Math.max(1, m.total - machine0.total) : undefined;
  });
  const hostDone = nextMessage<HostDone>(host, 'done');
  const { sent, cpuUs: guestCpuUs } = await nextMessage<GuestDone>(guest, 'sent');
  // The guests stay joined (keyframes, pings) through the host's idle phase.
  const done = await hostDone;
  guest.send({ type: 'stop' });
  await Promise.all([hostExit, guestExit]);

  const on: number[] = [];
  const off: number[] = [];
  let frames = 0;
  let framesOff = 0;
  let received = 0;
  for (let r = 0; r < rooms; r++) {
    const sentAt = new Map<number, number>();
    const s = sent[r]!;
    for (let i = 0; i < s.length; i += 2) {
      if (s[i + 1]! >= measureFrom && s[i + 1]! < measureTo) sentAt.set(s[i]!, s[i + 1]!);
    }
    if (r >= pingsOffFrom) framesOff += sentAt.size;
    else frames += sentAt.size;
    const got = done.recv[r]!;
    for (let i = 0; i < got.length; i += 2) {
      const t = sentAt.get(got[i]!);
      if (t === undefined) continue;
      received++;
      (r >= pingsOffFrom ? off : on).push((got[i + 1]! - t) * 1000);
    }
  }
  const idleRate = done.idleCpuUs / o.idleMs; // µs of CPU per ms
  const sends = sendBursts(done.writes);
  const allFrames = frames + framesOff;
  return {
    mode,
    rooms,
    latency: summarize(on, frames),
    ...(framesOff ? { latencyPingsOff: summarize(off, framesOff) } : {}),
    frames: allFrames,
    measureMs: o.measureMs,
    cpuUsPerFrame: done.cpuUs / Math.max(1, received),
    marginalUsPerFrame: (done.cpuUs - idleRate * o.measureMs) / Math.max(1, received),
    hostCpuShare: done.cpuUs / (o.measureMs * 1000),
    idleCpuShare: idleRate / 1000,
    elu: done.elu,
    guestCpuUsPerFrame: guestCpuUs / Math.max(1, allFrames),
    brokerCpuUsPerFrame: brokerUs !== undefined ? brokerUs / Math.max(1, allFrames) : undefined,
    machineBusy,
    othersBusy:
      machineBusy !== undefined && brokerUs !== undefined
        ? Math.max(0, machineBusy - (done.cpuUs + guestCpuUs + brokerUs) / (o.measureMs * 1000 * availableParallelism()))
        : undefined,
    ...sends,
    idleThreads: done.idleThreads,
    threads: done.threads,
  };
}

/**
 * The host's sends from its socket-write log: MQTT.js writes one packet as several `write` calls,
 * so writes of one socket less than 2 ms apart count as one send. Then: sends, rooms that sent, and
 * how many rooms sent in the same 10 ms bucket (rooms whose pings align show up as a tall bucket).
 */
export function sendBursts(writes: readonly number[]): Pick<ScaleStep, 'hostSends' | 'hostSendRooms' | 'maxRoomsPer1ms' | 'maxRoomsPer10ms' | 'roomsPer10ms'> {
  const last = new Map<number, number>();
  const buckets = new Map<number, Set<number>>();
  const fine = new Map<number, Set<number>>();
  let sends = 0;
  for (let i = 0; i < writes.length; i += 2) {
    const id = writes[i]!;
    const t = writes[i + 1]!;
    const prev = last.get(id);
    last.set(id, t);
    if (prev !== undefined && t - prev < 2) continue;
    sends++;
    const b = Math.floor(t / 10);
    (buckets.get(b) ?? buckets.set(b, new Set()).get(b)!).add(id);
    const f = Math.floor(t);
    (fine.get(f) ?? fine.set(f, new Set()).get(f)!).add(id);
  }
  const roomsPer10ms: number[] = [];
  for (const s of buckets.values()) roomsPer10ms[s.size - 1] = (roomsPer10ms[s.size - 1] ?? 0) + 1;
  return {
    hostSends: sends,
    hostSendRooms: last.size,
    maxRoomsPer1ms: Math.max(0, ...[...fine.values()].map((x) => x.size)),
    maxRoomsPer10ms: roomsPer10ms.length, roomsPer10ms: Array.from(roomsPer10ms, (x) => x ?? 0) };
}

// ---------- profiles ----------

/** Which package a profiled function belongs to. */
export function packageOf(cf: Pick<CallFrame, 'functionName' | 'url'>): string {
  const u = cf.url;
  if (!u) return cf.functionName === '(garbage collector)' ? 'garbage collector' : cf.functionName === '(program)' ? 'V8 / native, unattributed ("(program)")' : 'node internals';
  if (u.includes('/packages/core/src/')) return 'coplay core';
  if (u.includes('/@noble/hashes/')) return '@noble/hashes (HMAC)';
  if (u.includes('/node_modules/rxjs/')) return 'rxjs';
  if (/\/node_modules\/(mqtt|mqtt-packet|bl|readable-stream|debug|ms|number-allocator|rfdc|worker-timers|process-nextick-args|inherits|safe-buffer|string_decoder)\//.test(u)) return 'MQTT.js (+ mqtt-packet, bl, debug, readable-stream)';
  if (u.startsWith('node:')) return 'node internals';
  if (u.includes('/apps/bench/')) return 'bench harness';
  return 'other';
}

export interface ProfileSummary {
  /** Sampled main-thread busy time (µs), idle and the profiler's own calls excluded. */
  busyUs: number;
  /** The profiler's own calls (inspector dispatch) that were excluded, µs. */
  excludedUs: number;
  byPackage: Array<{ name: string; us: number }>;
  top: Array<{ fn: string; us: number }>;
}

/**
 * Self time of a --cpu-prof style profile by package and by function. `(idle)` is dropped, and so is
 * every sample under `node:inspector`: that is the profiler stopping itself (the `dispatch :0` that
 * used to top this table), not the host's work. Samples are counted, each worth the mean interval:
 * on a busy machine a sample's own time delta also holds the time the thread sat preempted, which
 * would charge whatever ran before (often a socket write that woke the broker) for other processes.
 */
export function summarizeProfile(file: string, n = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const parent = new Map<number, number>();
  for (const x of p.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
  const inInspector = new Map<number, boolean>();
  const underInspector = (id: number): boolean => {
    const known = inInspector.get(id);
    if (known !== undefined) return known;
    const here = byId.get(id)!.callFrame.url === 'node:inspector';
    const up = parent.get(id);
    const v = here || (up !== undefined && underInspector(up));
    inInspector.set(id, v);
    return v;
  };
  const byPkg = new Map<string, number>();
  const byFn = new Map<string, number>();
  let busy = 0;
  let excluded = 0;
  const d = (p.endTime - p.startTime) / Math.max(1, p.samples.length);
  p.samples.forEach((id) => {
    const cf = byId.get(id)!.callFrame;
    if (cf.functionName === '(idle)') return;
    if (underInspector(id)) {
      excluded += d;
      return;
    }
    busy += d;
    const pkg = packageOf(cf);
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + d);
    const where = cf.url.replace(/.*\/node_modules\//, '').replace(/.*\/packages\/core\/src\//, 'core/').replace(/.*\/apps\/bench\/src\//, 'bench/');
    const key = `${cf.functionName || '(anonymous)'} ${where}${where ? `:${cf.lineNumber + 1}` : ''}`;
    byFn.set(key, (byFn.get(key) ?? 0) + d);
  });
  const sorted = (m: Map<string, number>) => [...m].sort((x, y) => y[1] - x[1]);
  return {
    busyUs: busy,
    excludedUs: excluded,
    byPackage: sorted(byPkg).map(([name, us]) => ({ name, us })),
    top: sorted(byFn)
      .slice(0, n)
      .map(([fn, us]) => ({ fn, us })),
  };
}

const role = process.argv[2];
if (role === '--scale-host') {
  void hostRole(JSON.parse(process.argv[3]!) as HostArgs);
} else if (role === '--scale-guest') {
  void guestRole(process.argv[3]!, process.argv[4] as Mode, process.argv[5]!);
}
