import { requireTool, startBroker, startMosquitto } from '@coplay/testkit';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Button, NEUTRAL } from '../../input/ControllerState';
import { encodeFrame } from '../../input/encodeFrame';
import { hostRoom } from '../../room/hostRoom';
import { joinRoom } from '../../room/joinRoom';
import type { GuestRoom, HostRoom, RoomStats } from '../../room/types';
import { createConnection } from '../createConnection';
import type { Connection } from '../types';
import { heapAfterGc } from './heapAfterGc';

// Chaos: 100,000 garbage messages on every topic a host and a guest listen to — random bytes, empty,
// 1 MB, frames of a wrong version, well-formed frames with bad fields or forged tags, JSON of every
// shape. Nothing throws, the room keeps playing, and every message lands in one of the counters.

const TOTAL = 100_000;
const BIG = 1024 * 1024;
/** Heap growth allowed over the second half of the flood (after GC): noise measured 0.1–0.2 MB. */
const HEAP_SLACK = 1.5 * 1024 * 1024;

/** A small seeded PRNG, so a failure can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function garbage(rand: () => number, i: number): Uint8Array | string {
  const kind = i % 8;
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
  switch (kind) {
    case 0:
      return bytes(1 + Math.floor(rand() * 64));
    case 1:
      return i % 20_000 === 1 ? new Uint8Array(BIG) : bytes(Math.floor(rand() * 8)); // a few 1 MB ones
    case 2: {
      const f = encodeFrame({ seq: i & 0xffff, session: 7, state: { ...NEUTRAL, buttons: 1 << Button.A } });
      f[0] = 0xff; // wrong version
      return f;
    }
    case 3: {
      const f = encodeFrame({ seq: i & 0xffff, session: 7, state: { ...NEUTRAL, buttons: 1 << Button.B } });
      return f; // well-formed, but untagged / from nobody
    }
    case 4:
      return JSON.stringify({ t: ['join', 'leave', 'pong', 'slot', 'kick', 'ping', 'closed'][i % 7], v: 2, session: 'x', slot: -1 });
    case 5:
      return JSON.stringify([rand(), null, { a: 'b' }]);
    case 6:
      return `{"t":"join","v":2,"name":${'"'.repeat(i % 3)}`;
    default:
      return String(rand());
  }
}

const sum = (s: RoomStats) => s.malformed + s.duplicate + s.outOfOrder + s.staleSession + s.throttled + s.unknownSender + s.badControl + s.forged;

const mosquitto = requireTool('mosquitto');
const brokers: Array<[string, () => Promise<{ url: string; close(): Promise<void> }>, boolean]> = [
  ['Aedes', () => startBroker({ record: false }), true],
  ['mosquitto', () => startMosquitto(), mosquitto.available],
];

describe.each(brokers)('garbage flood (%s)', (_name, start, available) => {
  let broker: { url: string; close(): Promise<void> };
  let raw: MqttClient;
  const conns: Connection[] = [];
  let host: HostRoom;
  let guest: GuestRoom;
  beforeAll(async () => {
    if (!available) return;
    broker = await start();
    raw = mqtt.connect(broker.url, { clientId: 'vandal', reconnectPeriod: 0 });
    await new Promise((r) => raw.once('connect', r));
  });
  afterAll(async () => {
    if (!available) return;
    await guest?.close();
    await host?.close();
    await Promise.all(conns.map((c) => c.close()));
    await raw.endAsync(true);
    await broker.close();
  });

  it.skipIf(!available)(`${TOTAL} garbage messages on every topic host and guest listen to: no throw, play goes on, each one counted`, async () => {
    const hostConn = createConnection({ url: broker.url, clientId: 'g-host' });
    const guestConn = createConnection({ url: broker.url, clientId: 'g-guest' });
    conns.push(hostConn, guestConn);
    const errors: unknown[] = [];
    const onError = (e: unknown) => errors.push(e);
    process.on('uncaughtException', onError);
    process.on('unhandledRejection', onError);
    try {
      host = hostRoom(hostConn, { room: 'junk', rateLimit: { maxFramesPerSecond: 1_000_000, burst: 1_000_000 } });
      guest = joinRoom(guestConn, { invite: await host.invite });
      await expect.poll(() => guest.status.value.status, { timeout: 15_000 }).toBe('playing');
      const slot = (guest.status.value as { slot: number }).slot;
      const gid = host.players.value[0]!.id;
      guest.send({ ...NEUTRAL, buttons: 1 << Button.X });
      await expect.poll(() => host.input(slot).value.buttons).toBe(1 << Button.X);

      const hostTopics = [`cp/junk/i/${gid}`, `cp/junk/i/nobody`, `cp/junk/u/${gid}`, `cp/junk/u/nobody`, `cp/junk/p/nobody`];
      const guestTopics = [`cp/junk/d/${gid}`, 'cp/junk/h', 'cp/junk/s'];
      const topics = [...hostTopics, ...guestTopics];
      const hostBefore = sum(host.stats.value);
      const guestBefore = guest.stats.value.forged + guest.stats.value.badControl;
      const rand = prng(9);
      let toHost = 0;
      let toGuest = 0;
      const flood = async (from: number, to: number) => {
        for (let i = from; i < to; i++) {
          const topic = topics[i % topics.length]!;
          let payload = garbage(rand, i);
          // An empty presence is a guest's last will (a real message, not garbage): send one byte instead.
          if (topic.includes('/p/') && payload.length === 0) payload = 'x';
          if (hostTopics.includes(topic)) toHost++;
          else toGuest++;
          raw.publish(topic, payload as Buffer, { qos: 0 });
          if (i % 2000 === 0) await new Promise((r) => setImmediate(r)); // let the socket drain
        }
        // Every message so far has been handled (counted) before the heap is read.
        await expect.poll(() => sum(host.stats.value) - hostBefore, { timeout: 60_000, interval: 200 }).toBe(toHost);
        await expect
          .poll(() => guest.stats.value.forged + guest.stats.value.badControl - guestBefore, { timeout: 60_000, interval: 200 })
          .toBe(toGuest);
      };
      // Heap flat: the first half warms up (JIT, buffers, pools); the second half, as large and of the
      // same kinds, must leave the heap (after full GCs) where the first left it. Retaining even a 40-byte
      // object per message would add 2 MB here.
      await flood(0, TOTAL / 2);
      const heapMid = await heapAfterGc();
      await flood(TOTAL / 2, TOTAL);
      const heapEnd = await heapAfterGc();
      expect(heapEnd - heapMid, `heap grew ${((heapEnd - heapMid) / 1e6).toFixed(2)} MB over ${TOTAL / 2} messages`).toBeLessThan(HEAP_SLACK);
      // Nothing the flood said made the host keep an entry for it.
      expect(host.players.value.length).toBe(1);
      expect(host.pending.value).toEqual([]);
      // Play goes on: the real guest still controls its slot.
      guest.send({ ...NEUTRAL, buttons: 1 << Button.Y });
      await expect.poll(() => host.input(slot).value.buttons).toBe(1 << Button.Y);
      expect(guest.status.value.status).toBe('playing');
      expect(errors).toEqual([]);
    } finally {
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onError);
    }
  });
});
