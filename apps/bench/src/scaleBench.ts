import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConnection, formatInvite, guestWill, hostRoom, joinRoom, NEUTRAL, type Connection } from '@coplay/core';
import mqtt, { type MqttClient } from 'mqtt';
import { sleep } from './pace';
import { summarize, type LatencySummary } from './stats';
import { connected, until } from './until';

/**
 * Scale: how many rooms one Node process hosts at 60 Hz. The host side runs in its own process (its
 * CPU is measured with process.cpuUsage), the guests in another; one connection per room on each
 * side. Frame `k` of a room carries button mask `k + 1`; the guest process logs when it sent it, the
 * host process when the room's input changed to it. Raw: an MQTT.js client per room subscribed to the
 * room's input topic, decoding the same 16-byte frame.
 */
type Mode = 'coplay' | 'raw';
const FRAME = 16;
const self = fileURLToPath(import.meta.url);

interface HostReady {
  type: 'ready';
  invites: string[];
}
interface Done {
  type: 'done';
  recv: number[][]; // per room: [seq, epochMs, seq, epochMs, …]
  cpuUs: number;
}

const epoch = () => performance.timeOrigin + performance.now();

// ---------- child roles ----------

async function hostRole(url: string, mode: Mode, rooms: number, tag: string): Promise<void> {
  const recv: number[][] = Array.from({ length: rooms }, () => []);
  const closers: Array<() => Promise<unknown>> = [];
  const invites: string[] = [];
  if (mode === 'coplay') {
    await Promise.all(
      Array.from({ length: rooms }, async (_, r) => {
        const conn = createConnection({ url, clientId: `${tag}h${r}` });
        await connected(conn);
        const host = hostRoom(conn, { room: `${tag}r${r}`, maxPlayers: 2 });
        invites[r] = formatInvite(await host.invite);
        host.input(2).value$.subscribe((s) => {
          if (s.buttons !== 0) recv[r]!.push(s.buttons - 1, epoch());
        });
        closers.push(() => host.close(), () => conn.close());
      }),
    );
  } else {
    await Promise.all(
      Array.from({ length: rooms }, async (_, r) => {
        const c = await mqtt.connectAsync(url, { clientId: `${tag}h${r}`, reconnectPeriod: 0 });
        (c.stream as { setNoDelay?: (b: boolean) => void }).setNoDelay?.(true);
        c.on('message', (_t, p) => {
          if (p.length !== FRAME) return;
          const buttons = p.readUInt32BE(8);
          if (buttons !== 0) recv[r]!.push(buttons - 1, epoch());
        });
        await c.subscribeAsync(`raw/${tag}/r${r}/i/+`, { qos: 0 });
        invites[r] = '';
        closers.push(() => c.endAsync());
      }),
    );
  }
  process.send!({ type: 'ready', invites } satisfies HostReady);
  let cpu0 = process.cpuUsage();
  // The CPU profile covers the measured phase only (what --cpu-prof would give minus start-up).
  const profileDir = process.env.COPLAY_BENCH_PROFILE_DIR;
  const session = profileDir ? new Session() : undefined;
  const onMessage = async (m: { type: string }) => {
    if (m.type === 'start') {
      if (session) {
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
      }
      cpu0 = process.cpuUsage();
    }
    if (m.type === 'stop') {
      const d = process.cpuUsage(cpu0);
      if (session) {
        const { profile } = await session.post('Profiler.stop');
        writeFileSync(join(profileDir!, `host-${mode}-${rooms}.cpuprofile`), JSON.stringify(profile));
      }
      await Promise.all(closers.map((c) => c().catch(() => {})));
      // Exit only once the (large) result has gone through the IPC channel.
      process.send!({ type: 'done', recv, cpuUs: d.user + d.system } satisfies Done, () => process.exit(0));
    }
  };
  process.on('message', (m: { type: string }) => void onMessage(m));
}

async function guestRole(url: string, mode: Mode, invites: string[], tag: string, seconds: number): Promise<void> {
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
        sends[r] = (seq) => {
          const b = Buffer.alloc(FRAME);
          b.writeUInt32BE((seq % 131_000) + 1, 8);
          c.publish(topic, b, { qos: 0 });
        };
        closers.push(() => c.endAsync());
      }),
    );
  }
  process.send!({ type: 'ready' });
  await new Promise<void>((r) => process.once('message', () => r()));
  // Each room ticks at 60 Hz on its own phase, as independent guests would.
  const sent: number[][] = Array.from({ length: rooms }, () => []);
  const periodMs = 1000 / 60;
  const start = performance.now();
  const phase = Array.from({ length: rooms }, () => Math.random() * periodMs);
  const next = Array.from({ length: rooms }, (_, r) => start + phase[r]!);
  const seq = new Array<number>(rooms).fill(0);
  while (performance.now() - start < seconds * 1000) {
    const now = performance.now();
    for (let r = 0; r < rooms; r++) {
      if (now >= next[r]!) {
        sent[r]!.push(seq[r]!, epoch());
        sends[r]!(seq[r]!);
        seq[r]!++;
        next[r]! += periodMs;
      }
    }
    await new Promise((res) => setTimeout(res, 1));
  }
  await sleep(300);
  await Promise.all(closers.map((c) => c().catch(() => {})));
  process.send!({ type: 'sent', sent }, () => process.exit(0));
}

// ---------- parent ----------

function child(role: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  return fork(self, [role, ...args], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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

export interface ScaleStep {
  mode: Mode;
  rooms: number;
  latency: LatencySummary;
  frames: number;
  cpuUsPerFrame: number;
  hostCpuShare: number;
}

/** One run: `rooms` rooms at 60 Hz for `seconds`; host CPU and guest → host latency. */
export async function scaleStep(url: string, mode: Mode, rooms: number, seconds: number, profileDir?: string): Promise<ScaleStep> {
  const tag = `s${Math.random().toString(36).slice(2, 7)}`;
  const host = child('--scale-host', [url, mode, String(rooms), tag], profileDir ? { COPLAY_BENCH_PROFILE_DIR: profileDir } : {});
  const hostExit = new Promise((r) => host.once('exit', r));
  const ready = await nextMessage<HostReady>(host, 'ready');
  const guest = child('--scale-guest', [url, mode, JSON.stringify(ready.invites), tag, String(seconds)]);
  const guestExit = new Promise((r) => guest.once('exit', r));
  await nextMessage(guest, 'ready');
  await sleep(500);
  host.send({ type: 'start' });
  guest.send({ type: 'go' });
  const { sent } = await nextMessage<{ sent: number[][] }>(guest, 'sent');
  host.send({ type: 'stop' });
  const done = await nextMessage<Done>(host, 'done');
  await Promise.all([hostExit, guestExit]);
  const samples: number[] = [];
  let frames = 0;
  for (let r = 0; r < rooms; r++) {
    const at = new Map<number, number>();
    const s = sent[r]!;
    for (let i = 0; i < s.length; i += 2) at.set(s[i]!, s[i + 1]!);
    frames += s.length / 2;
    const got = done.recv[r]!;
    for (let i = 0; i < got.length; i += 2) {
      const t = at.get(got[i]!);
      if (t !== undefined) samples.push((got[i + 1]! - t) * 1000);
    }
  }
  return {
    mode,
    rooms,
    latency: summarize(samples, frames),
    frames,
    cpuUsPerFrame: done.cpuUs / Math.max(1, samples.length),
    hostCpuShare: done.cpuUs / (seconds * 1e6),
  };
}

/** Self time by function from the host's --cpu-prof profiles, top `n`, as shares of the sampled time. */
export function summarizeProfile(dir: string, n = 12): Array<{ fn: string; share: number }> {
  const self = new Map<string, number>();
  let total = 0;
  for (const f of readdirSync(dir)) {
    const p = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
      nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
      samples: number[];
      timeDeltas: number[];
    };
    const byId = new Map(p.nodes.map((x) => [x.id, x]));
    p.samples.forEach((id, i) => {
      const cf = byId.get(id)!.callFrame;
      const d = p.timeDeltas[i] ?? 0;
      if (cf.functionName === '(idle)' || cf.functionName === '(program)') return;
      total += d;
      const where = cf.url.replace(/.*node_modules\//, '').replace(/.*\/packages\//, 'packages/').replace(/^file:\/\//, '');
      const key = `${cf.functionName || '(anonymous)'} ${where.split('/').slice(-3).join('/')}:${cf.lineNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + d);
    });
  }
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([fn, t]) => ({ fn, share: t / Math.max(1, total) }));
}

export function tempProfileDir(): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'coplay-prof-'));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

const role = process.argv[2];
if (role === '--scale-host') {
  void hostRole(process.argv[3]!, process.argv[4] as Mode, Number(process.argv[5]), process.argv[6]!);
} else if (role === '--scale-guest') {
  void guestRole(process.argv[3]!, process.argv[4] as Mode, JSON.parse(process.argv[5]!) as string[], process.argv[6]!, Number(process.argv[7]));
}
