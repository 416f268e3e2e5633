/**
 * What the host writes on its input socket while input flows, and which late frames follow it
 * (issue 13, the ping tail). ROOMS coplay rooms (hostRoom/joinRoom, authenticated) and as many raw
 * MQTT.js + noDelay pairs run side by side in this process on a mosquitto without set_tcp_nodelay,
 * each guest sending at 60 Hz for DUR ms. Every packet a client writes is logged from its socket
 * (net.Socket's write path, by client id), and every late frame (> 5 ms) of a room is attributed to
 * the host's last write before it arrived (within 80 ms), or to "nothing the host wrote".
 * Run: `cd apps/bench && DUR=15000 ROOMS=3 npx tsx src/experiments/roomTail.ts`
 * (`OUTGOING=1`: the rooms' host sends on a second connection; `PING_MS=…`: the room's ping interval.)
 */
import net from 'node:net';
import { createConnection, guestWill, hostRoom, joinRoom, NEUTRAL, type Connection } from '@coplay/core';
import { startMosquitto } from '@coplay/testkit';
import mqtt from 'mqtt';
import { fmtUs, summarize } from '../stats';
import { connected, until } from '../until';

const DUR = Number(process.env.DUR ?? 15000);
const ROOMS = Number(process.env.ROOMS ?? 3);
const OUTGOING = process.env.OUTGOING === '1';
const PING_MS = Number(process.env.PING_MS ?? 1000);

const PACKET = ['?', 'CONNECT', 'CONNACK', 'PUBLISH', 'PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP', 'SUBSCRIBE', 'SUBACK', 'UNSUBSCRIBE', 'UNSUBACK', 'PINGREQ', 'PINGRESP', 'DISCONNECT', 'AUTH'];
interface Write {
  at: number;
  what: string;
}
const owner = new WeakMap<net.Socket, string>();
const writes = new Map<string, Write[]>();

/** Splits the bytes of one socket write into MQTT packets: their types (and a PUBLISH's topic). */
function packets(buf: Buffer): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < buf.length) {
    const type = buf[i]! >> 4;
    let len = 0;
    let mul = 1;
    let j = i + 1;
    for (;;) {
      const b = buf[j++];
      if (b === undefined) return out;
      len += (b & 0x7f) * mul;
      mul *= 128;
      if (!(b & 0x80)) break;
    }
    let what = PACKET[type] ?? '?';
    if (type === 3) {
      const tl = buf.readUInt16BE(j);
      const topic = buf.toString('latin1', j + 2, j + 2 + tl);
      what += ` q${(buf[i]! >> 1) & 3} ${topic.split('/').slice(2, 3).join('/')}`;
    }
    if (type === 1) {
      const s = buf.toString('latin1', j, j + len);
      const id = /([a-z0-9]+-(?:host|guest|out|raw[hg]))/.exec(s)?.[1];
      if (id) return [`CONNECT ${id}`];
    }
    out.push(what);
    i = j + len;
  }
  return out;
}

const proto = net.Socket.prototype as unknown as { _writeGeneric: (writev: boolean, data: unknown, enc: string, cb: unknown) => unknown };
const original = proto._writeGeneric;
proto._writeGeneric = function (this: net.Socket, writev, data, enc, cb) {
  const bufs = writev
    ? (data as Array<{ chunk: Buffer | string; encoding: BufferEncoding }>).map((c) => (typeof c.chunk === 'string' ? Buffer.from(c.chunk, c.encoding) : c.chunk))
    : [typeof data === 'string' ? Buffer.from(data, enc as BufferEncoding) : (data as Buffer)];
  const at = performance.now();
  for (const what of packets(Buffer.concat(bufs))) {
    if (what.startsWith('CONNECT ')) owner.set(this, what.slice(8));
    const who = owner.get(this);
    if (who) (writes.get(who) ?? writes.set(who, []).get(who)!).push({ at, what });
  }
  return original.call(this, writev, data, enc, cb);
};

const proto2 = net.Socket.prototype as unknown as { push: (chunk: unknown, enc?: unknown) => boolean };
const originalPush = proto2.push;
proto2.push = function (this: net.Socket, chunk: unknown, enc?: unknown) {
  const who = owner.get(this);
  if (who && Buffer.isBuffer(chunk)) {
    const at = performance.now();
    (writes.get(who) ?? writes.set(who, []).get(who)!).push({ at, what: `<${packets(chunk).map((x) => x.replace('PUBLISH', 'P')).join(',')}` });
  }
  return originalPush.call(this, chunk, enc);
};

interface Run {
  label: string;
  hostId: string;
  sentAt: number[];
  recvAt: number[];
}

async function coplayRoom(url: string, k: number): Promise<{ go(): Promise<Run> }> {
  const room = `t${k}${Math.random().toString(36).slice(2, 7)}`;
  const hostConn = createConnection({ url, clientId: `${room}-host` });
  const outConn: Connection | undefined = OUTGOING ? createConnection({ url, clientId: `${room}-out` }) : undefined;
  const guestId = `${room}-guest`;
  const guestConn = createConnection({ url, clientId: guestId, will: guestWill(room, guestId) });
  await Promise.all([connected(hostConn), connected(guestConn), outConn && connected(outConn)]);
  const host = hostRoom(hostConn, { room, pingIntervalMs: PING_MS, ...(outConn ? { outgoing: outConn } : {}) });
  const guest = joinRoom(guestConn, { invite: await host.invite, browserEvents: false });
  const playing = (await until(guest.status.value$, (s) => s.status === 'playing', 'guest playing')) as { slot: number };
  const n = Math.ceil((DUR / 1000) * 60);
  const sentAt: number[] = new Array<number>(n).fill(NaN);
  const recvAt: number[] = new Array<number>(n).fill(NaN);
  host.input(playing.slot).value$.subscribe((s) => {
    if (s.buttons > 0 && s.buttons <= n) recvAt[s.buttons - 1] = performance.now();
  });
  return {
    async go() {
      await pace60(n, (i) => {
        sentAt[i] = performance.now();
        guest.send({ ...NEUTRAL, buttons: i + 1 });
      });
      await guest.close();
      await host.close();
      await Promise.all([hostConn.close(), guestConn.close(), outConn?.close()]);
      return { label: 'coplay room', hostId: `${room}-host`, sentAt, recvAt };
    },
  };
}

async function rawPair(url: string, k: number): Promise<{ go(): Promise<Run> }> {
  const id = `p${k}${Math.random().toString(36).slice(2, 7)}`;
  const h = await mqtt.connectAsync(url, { clientId: `${id}-rawh`, reconnectPeriod: 0 });
  const g = await mqtt.connectAsync(url, { clientId: `${id}-rawg`, reconnectPeriod: 0 });
  for (const c of [h, g]) (c.stream as net.Socket).setNoDelay(true);
  const n = Math.ceil((DUR / 1000) * 60);
  const sentAt: number[] = new Array<number>(n).fill(NaN);
  const recvAt: number[] = new Array<number>(n).fill(NaN);
  h.on('message', (_t, p) => {
    recvAt[p.readUInt32BE(0)] = performance.now();
  });
  await h.subscribeAsync(`raw/${id}`, { qos: 0 });
  return {
    async go() {
      await pace60(n, (i) => {
        sentAt[i] = performance.now();
        const b = Buffer.alloc(16);
        b.writeUInt32BE(i, 0);
        g.publish(`raw/${id}`, b, { qos: 0 });
      });
      await Promise.all([h.endAsync(), g.endAsync()]);
      return { label: 'raw + noDelay', hostId: `${id}-rawh`, sentAt, recvAt };
    },
  };
}

async function pace60(n: number, send: (i: number) => void): Promise<void> {
  const start = performance.now();
  let i = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(n, Math.floor((performance.now() - start) / (1000 / 60)) + 1);
      while (i < due) send(i++);
      if (i >= n) resolve();
      else setTimeout(tick, Math.max(0, start + (i * 1000) / 60 - performance.now() - 0.5));
    };
    tick();
  });
  await new Promise((r) => setTimeout(r, 300));
}

async function flow(url: string) {
  const { latencyRun } = await import('../pairBench');
  const { roomSubject } = await import('../roomBench');
  const { RAW_NODELAY } = await import('../subjects');
  const kinds = ['room', 'noPing', 'raw'] as const;
  const runs = await Promise.all(
    Array.from({ length: ROOMS * 3 }, async (_, k) => {
      const kind = kinds[k % 3]!;
      const subject = kind === 'raw' ? RAW_NODELAY : roomSubject(`flow${k}`, kind, kind === 'noPing' ? { pingIntervalMs: 3_600_000 } : {});
      return { kind, run: await latencyRun(subject, url, 120, 60, 16), k };
    }),
  );
  for (const { kind, run } of runs) {
    const late = run.samples.filter((x) => x.us > 5000).map((x) => `${x.atMs.toFixed(0)}ms:${(x.us / 1000).toFixed(1)}`);
    console.log(`${kind.padEnd(6)} late (sent at ms after start:latency ms): ${late.join(' ') || 'none'}`);
  }
  for (const [who, w] of writes) {
    if (!who.endsWith('-host')) continue;
    const first = w[0]!.at;
    console.log(who, w.filter((x) => x.at - first < Number(process.env.UPTO ?? 700)).map((x) => `${(x.at - first).toFixed(0)}:${x.what}`).join(' | '));
  }
}

async function main() {
  const m = await startMosquitto({ tcpNoDelay: false });
  if (process.env.FLOW === '1') {
    await flow(m.url);
    await m.close();
    process.exit(0);
  }
  try {
    const subjects = await Promise.all([
      ...Array.from({ length: ROOMS }, (_, k) => coplayRoom(m.url, k)),
      ...Array.from({ length: ROOMS }, (_, k) => rawPair(m.url, k)),
    ]);
    await new Promise((r) => setTimeout(r, 500));
    const t0 = performance.now();
    const runs = await Promise.all(subjects.map((s) => s.go()));
    for (const label of ['raw + noDelay', 'coplay room']) {
      const mine = runs.filter((r) => r.label === label);
      const lat: number[] = [];
      let sent = 0;
      const blame = new Map<string, number>();
      const hostWrites = new Map<string, number>();
      for (const r of mine) {
        const w = (writes.get(r.hostId) ?? []).filter((x) => x.at >= t0);
        for (const x of w) if (x.at < r.sentAt[r.sentAt.length - 1]!) hostWrites.set(x.what, (hostWrites.get(x.what) ?? 0) + 1);
        r.sentAt.forEach((s, i) => {
          sent++;
          const got = r.recvAt[i]!;
          if (Number.isNaN(got)) return;
          const us = (got - s) * 1000;
          lat.push(us);
          if (us <= 5000) return;
          const before = w.filter((x) => x.at <= got && x.at >= got - 80);
          const last = before[before.length - 1];
          const key = last ? last.what : 'nothing the host wrote';
          blame.set(key, (blame.get(key) ?? 0) + 1);
        });
      }
      const s = summarize(lat, sent);
      console.log(`${label.padEnd(14)} n=${s.n} lost=${s.lost} p50=${fmtUs(s.p50)} p99=${fmtUs(s.p99)} p99.9=${fmtUs(s.p999)} max=${fmtUs(s.max)} >5ms=${(s.lateShare * 100).toFixed(2)}%`);
      console.log(`  host writes while input flowed: ${[...hostWrites].map(([k, v]) => `${k} ×${v}`).join(', ') || 'none'}`);
      console.log(`  late frames after: ${[...blame].map(([k, v]) => `${k} ×${v}`).join(', ') || 'none'}`);
    }
  } finally {
    await m.close();
  }
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
