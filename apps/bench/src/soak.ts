import { createConnection, hostRoom, joinRoom, NEUTRAL, type Connection, type GuestRoom, type HostRoom } from '@coplay/core';
import { requireTool, startBroker, startMosquitto } from '@coplay/testkit';
import { until } from './until';

// `npm run soak -w @coplay/bench [-- --quick] [--rooms N] [--aedes]`
// N rooms (default 10), each a host and a guest on their own connections, the guest sending input at
// 60 Hz. Every cycle the broker is killed (SIGKILL for mosquitto; every socket destroyed for the
// in-process Aedes) and restarted 2 s later. Measured from real clocks (this is a bench, not a test):
// per kill, how long until every host reads its guest as NEUTRAL; per restart, how long until every host
// reads the guest's current state again; heap before and after (after GC when run with --expose-gc);
// stuck inputs: hosts still reading a held button after their guest went quiet or left (must be 0).
// Default 10 minutes with a restart every minute; --quick: 60 s with a restart every 15 s.

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const roomsArg = args.indexOf('--rooms');
const ROOMS = roomsArg >= 0 ? Number(args[roomsArg + 1]) : 10;
const DURATION_MS = quick ? 60_000 : 600_000;
const CYCLE_MS = quick ? 15_000 : 60_000;
const OUTAGE_MS = 2000;
const HZ = 60;

const now = () => performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const heapMb = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1048576;
};
const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!);
};

interface Broker {
  name: string;
  url: string;
  crash(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

async function startSoakBroker(): Promise<Broker> {
  if (!args.includes('--aedes') && requireTool('mosquitto').available) {
    const m = await startMosquitto();
    return { name: 'mosquitto (SIGKILL)', url: m.url, crash: () => m.kill(), restart: () => m.restart(), close: () => m.close() };
  }
  const b = await startBroker({ record: false });
  return { name: 'Aedes in-process (sockets destroyed)', url: b.url, crash: () => b.stop(), restart: () => b.restart(), close: () => b.close() };
}

interface Room {
  readonly id: string;
  readonly hostConn: Connection;
  readonly guestConn: Connection;
  readonly host: HostRoom;
  readonly guest: GuestRoom;
  slot: number;
  buttons: number;
  timer?: NodeJS.Timeout;
}

async function openRoom(url: string, i: number): Promise<Room> {
  const id = `soak${i}`;
  const hostConn = createConnection({ url, clientId: `${id}-host` });
  const guestConn = createConnection({ url, clientId: `${id}-guest` });
  const host = hostRoom(hostConn, { room: id });
  const guest = joinRoom(guestConn, { invite: await host.invite, browserEvents: false });
  const playing = (await until(guest.status.value$, (s) => s.status === 'playing', `${id} playing`, 30_000)) as { slot: number };
  const room: Room = { id, hostConn, guestConn, host, guest, slot: playing.slot, buttons: 1 };
  room.timer = setInterval(() => {
    if (room.guest.status.value.status === 'playing') room.guest.send({ ...NEUTRAL, buttons: room.buttons });
  }, 1000 / HZ);
  return room;
}

/** Resolves with the ms from `since` until `test` holds for the room's host input (polled every 5 ms). */
async function timeUntil(room: Room, test: (buttons: number) => boolean, since: number, limitMs: number): Promise<number | undefined> {
  while (now() - since < limitMs) {
    if (test(room.host.input(room.slot).value.buttons)) return now() - since;
    await sleep(5);
  }
  return undefined;
}

async function main(): Promise<void> {
  const broker = await startSoakBroker();
  console.log(`soak: ${ROOMS} rooms at ${HZ} Hz on ${broker.name}, ${DURATION_MS / 1000} s, broker killed every ${CYCLE_MS / 1000} s for ${OUTAGE_MS / 1000} s`);
  const rooms = await Promise.all(Array.from({ length: ROOMS }, (_, i) => openRoom(broker.url, i)));
  await sleep(2000); // warm-up
  const heapBefore = heapMb();
  const neutralMs: number[] = [];
  const resumeMs: number[] = [];
  let stuck = 0;
  let notResumed = 0;
  let cycles = 0;
  const started = now();
  while (now() - started + CYCLE_MS <= DURATION_MS + 1) {
    await sleep(CYCLE_MS - OUTAGE_MS - 1000);
    cycles++;
    const epoch = cycles + 1;
    const killedAt = now();
    await broker.crash();
    const neutral = await Promise.all(rooms.map((r) => timeUntil(r, (b) => b === 0, killedAt, OUTAGE_MS)));
    for (const n of neutral) {
      if (n === undefined) stuck++;
      else neutralMs.push(n);
    }
    for (const r of rooms) r.buttons = epoch; // the player moves on while the broker is down
    await sleep(Math.max(0, OUTAGE_MS - (now() - killedAt)));
    await broker.restart();
    const backAt = now();
    const resumed = await Promise.all(rooms.map((r) => timeUntil(r, (b) => b === epoch, backAt, 15_000)));
    for (const t of resumed) {
      if (t === undefined) notResumed++;
      else resumeMs.push(t);
    }
    console.log(
      `cycle ${cycles}: neutral after kill p50 ${pct(neutral.filter((x): x is number => x !== undefined), 50).toFixed(0)} ms; ` +
        `input back after restart p50 ${pct(resumed.filter((x): x is number => x !== undefined), 50).toFixed(0)} ms, max ${Math.max(...resumed.map((x) => x ?? Infinity)).toFixed(0)} ms`,
    );
  }
  const heapAfter = heapMb();
  // End: every guest leaves; no host may keep reading a held button.
  for (const r of rooms) clearInterval(r.timer);
  await Promise.all(rooms.map((r) => r.guest.close()));
  const leftAt = now();
  const released = await Promise.all(rooms.map((r) => timeUntil(r, (b) => b === 0, leftAt, 5000)));
  const stuckAtEnd = released.filter((x) => x === undefined).length;
  const stats = rooms.map((r) => r.host.stats.value);
  const frames = stats.reduce((n, s) => n + s.frames, 0);
  const applied = stats.reduce((n, s) => n + s.applied, 0);
  await Promise.all(rooms.map((r) => r.host.close()));
  await Promise.all(rooms.flatMap((r) => [r.hostConn.close(), r.guestConn.close()]));
  await broker.close();
  const report = {
    broker: broker.name,
    rooms: ROOMS,
    durationS: DURATION_MS / 1000,
    restarts: cycles,
    heapMb: { before: Number(heapBefore.toFixed(1)), after: Number(heapAfter.toFixed(1)), gc: typeof (globalThis as { gc?: unknown }).gc === 'function' },
    neutralAfterKillMs: { p50: pct(neutralMs, 50), p99: pct(neutralMs, 99), max: Math.round(Math.max(...neutralMs)) },
    inputBackAfterRestartMs: { p50: pct(resumeMs, 50), p99: pct(resumeMs, 99), max: Math.round(Math.max(...resumeMs)) },
    stuckAfterKill: stuck,
    notResumed,
    stuckAfterLeave: stuckAtEnd,
    hostFrames: frames,
    hostApplied: applied,
  };
  console.log(JSON.stringify(report, null, 2));
  if (stuck + stuckAtEnd + notResumed > 0) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
