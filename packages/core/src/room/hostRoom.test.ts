import { faultProxy, startBroker, type EmbeddedBroker, type FaultProxy } from '@coplay/testkit';
import type { MqttClient } from 'mqtt';
import { firstValueFrom, VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Button, NEUTRAL, statesEqual } from '../input/ControllerState';
import { decodeFrame } from '../input/decodeFrame';
import { encodeFrame } from '../input/encodeFrame';
import { hostRoom } from './hostRoom';
import { joinRoom } from './joinRoom';
import { guestWill } from './guestWill';
import { hostWill } from './hostWill';
import { broadcastUntil, connections, json, press, rawClient, until } from './roomTestKit';
import type { GuestRoom, HostRoom } from './types';

let broker: EmbeddedBroker;
const conns = connections(() => broker.url);
const rooms: Array<HostRoom | GuestRoom> = [];
const raws: MqttClient[] = [];

beforeEach(async () => {
  broker = await startBroker();
});
afterEach(async () => {
  for (const r of rooms.splice(0)) await r.close();
  for (const c of raws.splice(0)) await c.endAsync(true);
  await conns.closeAll();
  await broker.close();
});

function host(options: Partial<Parameters<typeof hostRoom>[1]> = {}, url?: string) {
  const connection = conns.open({ clientId: 'host', will: hostWill('r1'), ...(url ? { url } : {}) });
  const room = hostRoom(connection, { room: 'r1', secure: false, ...options });
  rooms.push(room);
  return room;
}
/** A guest `hand` speaking the documented wire protocol with a plain MQTT.js client, once the host listens. */
async function handGuest() {
  await broker.waitFor({ type: 'subscribe', clientId: 'host' }); // listening before the hand-made guest speaks
  const raw = await rawClient(broker.url, { clientId: 'hand' });
  raws.push(raw);
  const down: Array<Record<string, unknown>> = [];
  raw.on('message', (topic, payload) => {
    if (topic === 'cp/r1/d/hand') down.push(json(payload));
  });
  await raw.subscribeAsync('cp/r1/d/hand', { qos: 1 });
  return { raw, down };
}
function guest(clientId: string, name?: string, url?: string) {
  const connection = conns.open({ clientId, will: guestWill('r1', clientId), ...(url ? { url } : {}) });
  const room = joinRoom(connection, { room: 'r1', secure: false, ...(name ? { name } : {}) });
  rooms.push(room);
  return { connection, room };
}
const playing = (g: GuestRoom) => until(g.status.value$, (s) => s.status === 'playing', 10_000, 'playing');

// These run without authentication (`secure: false`, as on a broker whose ACL pins each client
// to its own topics), so a hand-made guest can speak the wire protocol in plain JSON; the
// authenticated protocol has its own suite (hostRoom.secure.test.ts).
describe('hostRoom + joinRoom over an embedded broker (secure: false)', () => {
  it('seats two guests in slots 2 and 3 and routes each one’s input to its own slot', async () => {
    const h = host();
    const a = guest('alice', 'Alice');
    const b = guest('bob');
    await playing(a.room);
    await playing(b.room);
    const slotOf = (id: string) => h.players.value.find((p) => p.id === id)?.slot;
    expect(new Set([slotOf('alice'), slotOf('bob')])).toEqual(new Set([2, 3]));
    expect(a.room.status.value).toEqual({ status: 'playing', slot: slotOf('alice') });
    expect(h.players.value.find((p) => p.id === 'alice')?.name).toBe('Alice');
    expect(h.players.value.find((p) => p.id === 'bob')?.name).toBe('bob');

    a.room.send(press(1 << Button.A, [1, 0, 0, 0]));
    b.room.send(press(1 << Button.START));
    const slotA = slotOf('alice')!;
    const slotB = slotOf('bob')!;
    await until(h.input(slotA).value$, (s) => s.buttons === 1 << Button.A);
    await until(h.input(slotB).value$, (s) => s.buttons === 1 << Button.START);
    expect(h.input(slotA).value.axes[0]).toBe(1);
    expect(h.input(4).value).toEqual(NEUTRAL);
    expect(h.players.value.every((p) => p.status === 'playing' && !p.throttled)).toBe(true);
    expect(h.stats.value.malformed + h.stats.value.outOfOrder + h.stats.value.staleSession).toBe(0);

    // Live values: a read returns the same object until the value changes.
    expect(h.stats.value).toBe(h.stats.value);
    expect(h.players.value).toBe(h.players.value);
    expect(h.input(slotA).value).toBe(h.input(slotA).value);
    expect(h.status.value).toEqual({ status: 'open' });
    const before = h.stats.value;
    a.room.send(press(1 << Button.B));
    await until(h.input(slotA).value$, (s) => s.buttons === 1 << Button.B);
    expect(h.stats.value).not.toBe(before);
    expect(h.stats.value.applied).toBeGreaterThan(before.applied);
    a.room.send(press(1 << Button.X));
    await until(h.input(slotA).value$, (s) => s.buttons === 1 << Button.X);
    expect(await firstValueFrom(h.stats.value$)).toEqual(h.stats.value); // a new subscriber starts from the current counters
  });

  it('kicks a guest: it sees kicked, its slot goes neutral, later frames and joins are refused', async () => {
    const h = host();
    const a = guest('alice');
    const b = guest('bob');
    await playing(a.room);
    await playing(b.room);
    const slotB = h.players.value.find((p) => p.id === 'bob')!.slot;
    b.room.send(press(1 << Button.B));
    await until(h.input(slotB).value$, (s) => s.buttons !== 0);

    expect(h.kick('bob', 'be nice')).toBe(true);
    expect(h.input(slotB).value).toEqual(NEUTRAL);
    expect(h.players.value.find((p) => p.id === 'bob')?.status).toBe('left');
    await until(b.room.status.value$, (s) => s.status === 'kicked');
    expect(b.room.status.value).toEqual({ status: 'kicked', reason: 'be nice' });
    expect(() => b.room.send(press(1))).toThrowError(expect.objectContaining({ code: 'ROOM_CLOSED' }));

    // A frame straight from bob's connection is counted and ignored.
    const before = h.stats.value.unknownSender;
    await b.connection.publish('cp/r1/i/bob', encodeFrame({ seq: 999, state: press(1) }));
    await until(h.stats.value$, (s) => s.unknownSender > before);
    expect(h.input(slotB).value).toEqual(NEUTRAL);

    // Joining again is refused while the room is open.
    const again = joinRoom(b.connection, { room: 'r1', secure: false });
    rooms.push(again);
    await until(again.status.value$, (s) => s.status === 'rejected');
    expect(again.status.value).toEqual({ status: 'rejected', reason: 'kicked' });
    expect(a.room.status.value.status).toBe('playing');
  });

  it('manual admission: guests wait in pending until admitted or rejected', async () => {
    const h = host({ admission: 'manual' });
    const a = guest('alice', 'Alice');
    const b = guest('bob');
    await until(a.room.status.value$, (s) => s.status === 'waiting');
    await until(b.room.status.value$, (s) => s.status === 'waiting');
    await until(h.pending.value$, (p) => p.length === 2);
    expect(h.pending.value.map((p) => [p.id, p.name]).sort()).toEqual([
      ['alice', 'Alice'],
      ['bob', 'bob'],
    ]);
    expect(h.players.value).toEqual([]);
    a.room.send(press(1)); // not sent before admission...

    expect(h.admit('alice')).toBe(true);
    await playing(a.room);
    expect(a.room.status.value).toEqual({ status: 'playing', slot: 2 });
    await until(h.input(2).value$, (s) => s.buttons === 1); // ...but sent at once after it
    expect(h.reject('bob', 'not today')).toBe(true);
    await until(b.room.status.value$, (s) => s.status === 'rejected');
    expect(b.room.status.value).toEqual({ status: 'rejected', reason: 'not today' });
    expect(h.pending.value).toEqual([]);
    expect(h.admit('bob')).toBe(false);
  });

  it('refuses a guest beyond maxPlayers with reason full', async () => {
    const h = host({ maxPlayers: 2 });
    const a = guest('alice');
    await playing(a.room);
    const b = guest('bob');
    await until(b.room.status.value$, (s) => s.status === 'rejected');
    expect(b.room.status.value).toEqual({ status: 'rejected', reason: 'full' });
    expect(h.players.value.map((p) => p.id)).toEqual(['alice']);
    expect(() => h.input(3)).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => h.input(0)).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    // Slot 1 is the host's own controller: it never travels through the room and reads NEUTRAL.
    expect(h.input(1).value).toBe(NEUTRAL);
  });

  it('frees a slot on leave with the input zeroed, and a returning guest gets its slot back', async () => {
    const h = host();
    const a = guest('alice');
    const b = guest('bob');
    await playing(a.room);
    await playing(b.room);
    const slotA = h.players.value.find((p) => p.id === 'alice')!.slot;
    a.room.send(press(1 << Button.RT));
    await until(h.input(slotA).value$, (s) => s.buttons !== 0);
    await a.room.close();
    await until(h.players.value$, (ps) => ps.find((p) => p.id === 'alice')?.status === 'left');
    expect(h.input(slotA).value).toEqual(NEUTRAL);
    expect(a.room.status.value).toEqual({ status: 'closed' });

    const back = joinRoom(a.connection, { room: 'r1', secure: false });
    rooms.push(back);
    await playing(back);
    expect(back.status.value).toEqual({ status: 'playing', slot: slotA });
  });

  it('counts and ignores garbage published by a plain MQTT.js client', async () => {
    const h = host();
    const a = guest('alice');
    await playing(a.room);
    a.room.send(press(1 << Button.Y));
    await until(h.input(2).value$, (s) => s.buttons === 1 << Button.Y);
    const stats = h.stats.value;

    const raw = await rawClient(broker.url, { clientId: 'vandal' });
    raws.push(raw);
    const good = encodeFrame({ seq: 1, state: press(1) });
    const wrongVersion = good.slice();
    wrongVersion[0] = 9;
    const outOfRange = good.slice();
    outOfRange[4] = 0xff;
    for (const payload of [
      Buffer.from('hello'),
      Buffer.alloc(0),
      Buffer.alloc(16, 0xff),
      Buffer.from(wrongVersion),
      Buffer.from(outOfRange),
      Buffer.from(good.subarray(0, 15)),
    ]) {
      await raw.publishAsync('cp/r1/i/alice', payload);
    }
    await raw.publishAsync('cp/r1/i/nobody', Buffer.from(good));
    await raw.publishAsync('cp/r1/u/alice', 'not json', { qos: 1 });
    await raw.publishAsync('cp/r1/u/alice', JSON.stringify({ t: 'leave-ish' }), { qos: 1 });
    await raw.publishAsync('cp/r1/u/alice', JSON.stringify({ t: 'join', v: 99, n: 9, session: 1 }), { qos: 1 });
    await raw.publishAsync('cp/r1/u/alice', Buffer.from([0xff, 0xfe, 0x00]), { qos: 1 });
    // Garbage on a presence topic is counted too (only an empty payload means "gone").
    await raw.publishAsync('cp/r1/p/mallory', 'not a presence', { qos: 1 });
    await raw.publishAsync('cp/r1/p/mallory', JSON.stringify({ v: 2 }), { qos: 1 });

    await until(h.stats.value$, (s) => s.badControl >= stats.badControl + 6 && s.unknownSender >= stats.unknownSender + 1);
    // Every input message so far is accounted for, and the bad ones are counted as malformed.
    await until(h.stats.value$, (s) => s.malformed >= stats.malformed + 6);
    const s = h.stats.value;
    expect(s.frames).toBe(s.applied + s.unchanged + s.malformed + s.duplicate + s.outOfOrder + s.staleSession + s.throttled + s.unknownSender);
    expect(h.input(2).value.buttons).toBe(1 << Button.Y);
    expect(h.players.value.find((p) => p.id === 'alice')?.status).toBe('playing');

    // The host still works.
    a.room.send(press(1 << Button.X));
    await until(h.input(2).value$, (st) => st.buttons === 1 << Button.X);
  });

  it('drops duplicate and out-of-order frames across the sequence wrap-around (hand-made guest)', async () => {
    const h = host({ silenceMs: 600_000 }); // a loaded machine must not interrupt the hand-made guest between frames
    const { raw, down } = await handGuest();
    const join = { t: 'join', v: 2, n: 0, id: 'hand', session: 42, q: 65534, tok: 'hand-token', name: 'Hand' };
    await raw.publishAsync('cp/r1/u/hand', JSON.stringify(join), { qos: 1 });
    await expect.poll(() => down.find((m) => m.t === 'slot')).toMatchObject({ t: 'slot', slot: 2, session: 42 });

    const seen: number[] = [];
    h.input(2).value$.subscribe((s) => seen.push(s.buttons));
    const send = (seq: number, buttons: number, session = 42) =>
      raw.publishAsync('cp/r1/i/hand', Buffer.from(encodeFrame({ seq, session, state: press(buttons) })));
    await send(65534, 1);
    await send(65535, 2);
    await send(65535, 4); // duplicate
    await send(0, 8); // wrapped: newer
    await send(65535, 16); // late, from before the wrap
    await send(65534, 32); // later still
    await send(0, 64); // duplicate
    await send(5, 128); // a gap is fine (frames carry the full state)
    await send(3, 256); // late
    await send(6, 512, 41); // another session
    await send(6, 1024);
    await until(h.input(2).value$, (s) => s.buttons === 1024);
    expect(seen).toEqual([0, 1, 2, 8, 128, 1024]);
    expect(h.stats.value).toMatchObject({ duplicate: 2, outOfOrder: 3, staleSession: 1 });
  });

  it('a pong the broker delivers ahead of the `leave` sent before it (QoS 0 overtaking QoS 1) does not drop the `leave`; replays still do', async () => {
    const h = host();
    const { raw, down } = await handGuest();
    const up = (m: Record<string, unknown>, qos: 0 | 1) => raw.publishAsync('cp/r1/u/hand', JSON.stringify(m), { qos });
    await up({ t: 'join', v: 2, n: 0, id: 'hand', session: 7, q: 0, tok: 'hand-token' }, 1);
    await until(h.players.value$, (p) => p.find((x) => x.slot === 2)?.status === 'playing', 10_000, 'seated');

    // The guest sent leave (n 1, QoS 1) then pong (n 2, QoS 0); the pong arrives first.
    await up({ t: 'pong', n: 2, ts: 0 }, 0);
    await up({ t: 'leave', n: 1 }, 1);
    await until(h.players.value$, (p) => p.find((x) => x.slot === 2)?.status === 'left', 10_000, 'left');
    expect(h.stats.value.forged).toBe(0);

    // Replays of either kind are still counted and not applied.
    await up({ t: 'pong', n: 2, ts: 0 }, 0);
    await up({ t: 'join', v: 2, n: 0, id: 'hand', session: 7, q: 0, tok: 'hand-token' }, 1);
    await until(h.stats.value$, (s) => s.forged === 2, 10_000, 'two replays counted');
    expect(h.players.value.find((x) => x.slot === 2)?.status).toBe('left');
    // A new join (higher n) is taken.
    await up({ t: 'join', v: 2, n: 3, id: 'hand', session: 8, q: 0, tok: 'hand-token' }, 1);
    await until(h.players.value$, (p) => p.find((x) => x.slot === 2)?.status === 'playing', 10_000, 'seated again');
    await expect.poll(() => down.filter((m) => m.t === 'slot').length).toBe(2);
  });

  it('a silent guest goes neutral and interrupted after silenceMs, then is freed after releaseMs', async () => {
    const h = host({ silenceMs: 100, releaseMs: 300 });
    await broker.waitFor({ type: 'subscribe', clientId: 'host' }); // listening before the hand-made guest speaks
    const raw = await rawClient(broker.url, { clientId: 'quiet' });
    raws.push(raw);
    await raw.subscribeAsync('cp/r1/d/quiet', { qos: 1 });
    await raw.publishAsync('cp/r1/u/quiet', JSON.stringify({ t: 'join', v: 2, n: 0, id: 'quiet', session: 1, q: 1, tok: 'quiet-token' }), { qos: 1 });
    await until(h.players.value$, (ps) => ps.length === 1);
    // Timestamps taken synchronously where the host emits, so event-loop lag cannot skew them.
    let appliedAt = 0;
    const statusAt: Record<string, number> = {};
    h.input(2).value$.subscribe((s) => {
      if (s.buttons === 1) appliedAt = Date.now();
    });
    h.players.value$.subscribe((ps) => {
      if (ps[0]) statusAt[ps[0].status] ??= Date.now();
    });
    await raw.publishAsync('cp/r1/i/quiet', Buffer.from(encodeFrame({ seq: 1, session: 1, state: press(1) })));
    await until(h.input(2).value$, (s) => s.buttons === 1);
    const interrupted = await until(h.players.value$, (ps) => ps[0]?.status === 'interrupted');
    expect(interrupted[0]?.id).toBe('quiet');
    expect(h.input(2).value).toEqual(NEUTRAL);
    await until(h.players.value$, (ps) => ps[0]?.status === 'left');
    expect(h.input(2).value).toEqual(NEUTRAL);
    // Lower bounds only (timers never fire early by more than clock granularity).
    expect(statusAt.interrupted! - appliedAt).toBeGreaterThanOrEqual(95);
    expect(statusAt.left! - statusAt.interrupted!).toBeGreaterThanOrEqual(295);
  });

  it('throttles a flooding guest and keeps serving the others', async () => {
    const h = host({ rateLimit: { maxFramesPerSecond: 50, burst: 10 } });
    const a = guest('alice');
    const b = guest('bob');
    await playing(a.room);
    await playing(b.room);
    const slotA = h.players.value.find((p) => p.id === 'alice')!.slot;
    const slotB = h.players.value.find((p) => p.id === 'bob')!.slot;
    for (let i = 0; i < 500; i++) a.room.send(press(i & 0xff));
    b.room.send(press(1 << Button.HOME));
    await until(h.input(slotB).value$, (s) => s.buttons === 1 << Button.HOME);
    await until(h.players.value$, (ps) => ps.find((p) => p.id === 'alice')?.throttled === true);
    await until(h.stats.value$, (s) => s.throttled > 300);
    expect(h.players.value.find((p) => p.id === 'bob')?.throttled).toBe(false);
    // Alice's frames within the rate still get through.
    a.room.send(press(1 << Button.LB));
    // Once the bucket refills, alice's next keyframe passes.
    await until(h.input(slotA).value$, (s) => s.buttons === 1 << Button.LB);
  });

  it('masks input by per-player permissions, changed live', async () => {
    const h = host({ permissions: { buttons: 1 << Button.A, axes: 0, triggers: 0 } });
    const a = guest('alice');
    await playing(a.room);
    a.room.send({ buttons: (1 << Button.A) | (1 << Button.HOME), axes: [1, 1, 0, 0], triggers: [1, 0] });
    await until(h.input(2).value$, (s) => s.buttons !== 0);
    expect(h.input(2).value).toEqual({ buttons: 1 << Button.A, axes: [0, 0, 0, 0], triggers: [0, 0] });
    expect(h.setPermissions('alice', { buttons: 0 })).toBe(true);
    expect(h.input(2).value).toEqual(NEUTRAL);
    h.setPermissions('alice', { buttons: 0x1ffff, axes: 0b11 });
    await until(h.input(2).value$, (s) => s.buttons === ((1 << Button.A) | (1 << Button.HOME)) && s.axes[0] === 1);
    expect(h.players.value[0]?.permissions).toEqual({ buttons: 0x1ffff, axes: 0b11, triggers: 0 });
    expect(h.setPermissions('nobody', { buttons: 0 })).toBe(false);
    expect(() => h.setPermissions('alice', { buttons: -1 })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });

  it('measures RTT and jitter with ping/pong and tells the guest', async () => {
    const h = host({ pingIntervalMs: 30 });
    const a = guest('alice');
    await playing(a.room);
    const [p] = await until(h.players.value$, (ps) => ps[0]?.rttMs !== undefined && ps[0]?.jitterMs !== undefined);
    expect(p!.rttMs).toBeGreaterThanOrEqual(0);
    expect(p!.rttMs).toBeLessThan(5000);
    expect(p!.rttAt).toBeLessThanOrEqual(Date.now()); // the host time of the newest sample
    expect(p!.rttAt).toBeGreaterThan(Date.now() - 60_000);
    await until(a.room.rtt.value$, (r) => r !== undefined);
    expect(a.room.rtt.value).toBeGreaterThanOrEqual(0);
    // Ping and pong go at QoS 0: no PUBACK from the host's socket to delay input frames (PROTOCOL.md).
    const control = broker.events.filter((e) => e.type === 'publish' && (e.topic === 'cp/r1/d/alice' || e.topic === 'cp/r1/u/alice'));
    const pings = control.filter((e) => ['ping', 'pong'].includes(json(e.payload!).t as string));
    expect(pings.length).toBeGreaterThanOrEqual(6); // three join pings and their pongs at least
    expect(pings.every((e) => e.qos === 0)).toBe(true);
  });

  /** A hand-made guest seated in `room` on the host `h`: the host clock of every ping it gets. */
  async function pingedGuest(h: HostRoom, room: string, id: string) {
    const raw = await rawClient(broker.url, { clientId: id });
    raws.push(raw);
    const pings: number[] = [];
    raw.on('message', (_t, payload) => {
      const m = json(payload);
      if (m.t === 'ping') pings.push(m.ts as number);
    });
    await raw.subscribeAsync(`cp/${room}/d/${id}`, { qos: 1 });
    await raw.publishAsync(`cp/${room}/u/${id}`, JSON.stringify({ t: 'join', v: 2, n: 0, id, session: 1, q: 0, tok: `${id}-token` }), { qos: 1 });
    await until(h.players.value$, (ps) => ps.some((p) => p.id === id));
    let seq = 0;
    return {
      pings,
      /** Input frames `everyMs` apart for `forMs` of virtual time, each one seen by the host before time moves on. */
      async input(advance: (ms: number) => void, everyMs: number, forMs: number) {
        for (let t = 0; t < forMs; t += everyMs) {
          const before = h.stats.value.frames;
          await raw.publishAsync(`cp/${room}/i/${id}`, Buffer.from(encodeFrame({ seq: seq++, session: 1, state: press(seq % 2) })));
          await expect.poll(() => h.stats.value.frames, { interval: 2 }).toBe(before + 1);
          advance(everyMs);
        }
      },
    };
  }
  const virtualTime = () => {
    const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);
    const advance = (ms: number) => {
      scheduler.schedule(() => {}, ms); // virtual time only moves as far as its last action
      scheduler.maxFrames = scheduler.now() + ms;
      scheduler.flush();
    };
    return { scheduler, advance };
  };

  it('with a scheduler: pings go in gaps of the input only, never forced on the input link; a seated guest gets a few in the first gaps', async () => {
    const { scheduler, advance } = virtualTime();
    const h = host({ pingIntervalMs: 1000, silenceMs: 600_000, scheduler });
    await broker.waitFor({ type: 'subscribe', clientId: 'host' }); // listening before the hand-made guest speaks
    const g = await pingedGuest(h, 'r1', 'pinged');
    const seatedAt = scheduler.now();
    advance(400);
    await expect.poll(() => g.pings.filter((t) => t > seatedAt && t <= seatedAt + 400).length).toBeGreaterThanOrEqual(3); // the join pings (and maybe the first periodic one)
    advance(1500); // no input yet: a periodic ping (random phase, 900–1100 ms apart, + tick and spread) goes as soon as it is due
    await expect.poll(() => g.pings.filter((t) => t > seatedAt + 400).length).toBeGreaterThanOrEqual(1);
    // Input every 40 ms (never a 45 ms gap) for 12 s, longer than rooms v2 waited before forcing one: no ping...
    const inputFrom = scheduler.now();
    await g.input(advance, 40, 12_000);
    const inputTo = scheduler.now();
    expect(g.pings.filter((t) => t > inputFrom && t <= inputTo)).toEqual([]);
    // ...and the overdue one goes in the first gap.
    advance(100);
    await expect.poll(() => g.pings.some((t) => t > inputTo)).toBe(true);
  }, 60_000);

  it('with an outgoing connection, pings go on time while input flows (the input link sends nothing)', async () => {
    const { scheduler, advance } = virtualTime();
    const outgoing = conns.open({ clientId: 'host-out' });
    const h = host({ pingIntervalMs: 500, silenceMs: 600_000, scheduler, outgoing });
    await broker.waitFor({ type: 'subscribe', clientId: 'host' });
    const g = await pingedGuest(h, 'r1', 'pinged');
    const inputFrom = scheduler.now();
    await g.input(advance, 40, 3000);
    const inputTo = scheduler.now();
    await expect.poll(() => g.pings.filter((t) => t > inputFrom && t <= inputTo).length).toBeGreaterThanOrEqual(4);
    expect(broker.events.filter((e) => e.type === 'publish' && e.clientId === 'host')).toEqual([]);
  }, 60_000);

  it('rooms opened in the same tick ping at different times (random phases)', async () => {
    const { scheduler, advance } = virtualTime();
    const connection = conns.open({ clientId: 'host' });
    const ids = ['p1', 'p2', 'p3', 'p4'];
    const hs = ids.map((id) => {
      const room = hostRoom(connection, { room: `room-${id}`, secure: false, pingIntervalMs: 1000, silenceMs: 600_000, scheduler });
      rooms.push(room);
      return room;
    });
    const held = () => broker.events.filter((e) => e.type === 'subscribe' && e.clientId === 'host').flatMap((e) => e.filters ?? []);
    await expect.poll(() => ids.every((id) => held().includes(`cp/room-${id}/u/+`))).toBe(true); // listening before the guests speak
    const guests = await Promise.all(hs.map((h, i) => pingedGuest(h, `room-${ids[i]}`, ids[i]!)));
    advance(400); // the join pings
    await expect.poll(() => guests.every((g) => g.pings.length >= 3)).toBe(true);
    const from = scheduler.now();
    // Periodic pings come 900–1100 ms apart, then wait up to one gate tick and the 0–30 ms spread:
    // any 1500 ms window holds one for every room, whatever the phases.
    advance(1500);
    await expect.poll(() => guests.every((g) => g.pings.some((t) => t > from))).toBe(true);
    const first = guests.map((g) => g.pings.find((t) => t > from)!);
    expect(new Set(first).size).toBeGreaterThan(1);
  }, 60_000);

  it('frames from a guest the host knows but no longer seats get `rejoin` (once a second), the re-join seats it again; kicked guests get none', async () => {
    const { scheduler, advance } = virtualTime();
    const h = host({ silenceMs: 200, releaseMs: 300, pingIntervalMs: 600_000, scheduler });
    await broker.waitFor({ type: 'subscribe', clientId: 'host' });
    const raw = await rawClient(broker.url, { clientId: 'hand' });
    raws.push(raw);
    const down: Array<Record<string, unknown>> = [];
    raw.on('message', (_t, payload) => down.push(json(payload)));
    await raw.subscribeAsync('cp/r1/d/hand', { qos: 1 });
    const join = (n: number, session: number, q: number) =>
      raw.publishAsync('cp/r1/u/hand', JSON.stringify({ t: 'join', v: 2, n, id: 'hand', session, q, tok: 'hand-token' }), { qos: 1 });
    let seq = 0;
    /** One frame, seen by the host before virtual time moves on by `ms`. */
    const frame = async (session: number, buttons: number, ms = 40) => {
      const before = h.stats.value.frames;
      await raw.publishAsync('cp/r1/i/hand', Buffer.from(encodeFrame({ seq: seq++, session, state: press(buttons) })));
      await expect.poll(() => h.stats.value.frames, { interval: 2 }).toBe(before + 1);
      advance(ms);
    };
    const rejoins = () => down.filter((m) => m.t === 'rejoin');

    await join(0, 1, 0);
    await until(h.players.value$, (ps) => ps[0]?.status === 'playing');
    await frame(1, 1 << Button.A, 0);
    expect(h.input(2).value.buttons).toBe(1 << Button.A);
    advance(600); // silent for silenceMs + releaseMs: freed, the slot reads neutral
    expect(h.players.value[0]?.status).toBe('left');
    expect(h.input(2).value).toEqual(NEUTRAL);
    expect(rejoins()).toEqual([]);

    // It never noticed and plays on, 40 ms apart for 2.5 s: nothing applied, one `rejoin` a second.
    for (let t = 0; t < 2500; t += 40) await frame(1, 1 << Button.B);
    await expect.poll(() => rejoins().length).toBe(3); // at 0, 1000 and 2000 ms
    expect(rejoins().every((m) => m.session === 1)).toBe(true);
    expect(h.input(2).value).toEqual(NEUTRAL);
    expect(h.stats.value.unknownSender).toBeGreaterThanOrEqual(62);

    // The guest joins again (a new session): same slot, and its input counts again.
    await join(1, 2, seq);
    await until(h.players.value$, (ps) => ps[0]?.status === 'playing');
    expect(h.players.value[0]?.slot).toBe(2);
    await frame(2, 1 << Button.X);
    expect(h.input(2).value.buttons).toBe(1 << Button.X);

    // Kicked: its frames get no `rejoin`.
    expect(h.kick('hand')).toBe(true);
    for (let t = 0; t < 1500; t += 40) await frame(2, 1 << Button.Y);
    await expect.poll(() => down.some((m) => m.t === 'kick')).toBe(true);
    expect(rejoins().length).toBe(3);
    expect(h.input(2).value).toEqual(NEUTRAL);
  }, 60_000);

  it('close() on a link that died unnoticed settles after 2 s without the acknowledgements (host and guest)', async () => {
    const { scheduler, advance } = virtualTime();
    const proxy = await faultProxy(broker.url);
    try {
      const h = host({ scheduler, pingIntervalMs: 600_000 }, proxy.url);
      const g = joinRoom(conns.open({ clientId: 'g', url: proxy.url }), { room: 'r1', secure: false, scheduler, browserEvents: false });
      rooms.push(g);
      await expect.poll(() => (advance(100), g.status.value.status)).toBe('playing');
      proxy.blackhole(); // both links look up, nothing passes: every farewell is written and never acknowledged
      const settled: string[] = [];
      const closing = [h.close().then(() => settled.push('host')), g.close().then(() => settled.push('guest'))];
      await new Promise((r) => setTimeout(r, 100));
      expect(settled).toEqual([]);
      advance(1999);
      await new Promise((r) => setTimeout(r, 20));
      expect(settled).toEqual([]);
      advance(1);
      await Promise.all(closing);
      expect(settled.sort()).toEqual(['guest', 'host']);
      expect(h.status.value.status).toBe('closed');
      expect(g.status.value.status).toBe('closed');
    } finally {
      await conns.closeAll(); // the farewells still in flight end with the connections
      await proxy.close();
    }
  }, 30_000);

  it('broadcasts JSON and binary state to guests, latest wins, retained for late joiners', async () => {
    const h = host();
    const a = guest('alice');
    await playing(a.room);
    // Broadcasts are QoS 0: one can be lost and the next heals it (broadcastUntil says why it happens on Aedes).
    await h.broadcast({ score: 1 });
    await broadcastUntil(h, a.room, { score: 2 }, (s) => (s as { score?: number } | undefined)?.score === 2);
    const late = guest('late');
    await until(late.room.hostState.value$, (s) => (s as { score?: number } | undefined)?.score === 2);
    await broadcastUntil(h, a.room, new Uint8Array([0, 7, 255]) as unknown, (s) => s instanceof Uint8Array);
    const bin = a.room.hostState.value;
    expect([...(bin as Uint8Array)]).toEqual([0, 7, 255]);
    await expect(h.broadcast(undefined)).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(h.broadcast(cyclic)).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
  });

  it('closing the room tells guests, zeroes slots and clears the retained topics', async () => {
    const h = host();
    const a = guest('alice');
    await playing(a.room);
    a.room.send(press(1));
    await until(h.input(2).value$, (s) => s.buttons === 1);
    await h.broadcast({ over: false });
    let completed = false;
    h.input(2).value$.subscribe({ complete: () => (completed = true) });
    await h.close();
    expect(completed).toBe(true);
    expect(h.input(2).value).toEqual(NEUTRAL);
    await until(a.room.status.value$, (s) => s.status === 'closed');
    await broker.waitFor({ type: 'publish', topic: 'cp/r1/h', payload: '', retain: true });
    await broker.waitFor({ type: 'publish', topic: 'cp/r1/s', payload: '', retain: true });
  });

  it('re-delivered control messages (QoS 1 duplicates) change nothing and are counted, both ways', async () => {
    const h = host({ admission: 'manual' });
    const a = guest('alice');
    await until(a.room.status.value$, (s) => s.status === 'waiting');
    expect(h.admit('alice')).toBe(true);
    await playing(a.room);
    const sent = (topic: string) =>
      broker.events.filter((e) => e.type === 'publish' && e.topic === topic && json(e.payload!).t !== 'hello').map((e) => e.payload!);
    const down = sent('cp/r1/d/alice');
    const up = sent('cp/r1/u/alice');
    expect(down.map((p) => json(p).t)).toEqual(expect.arrayContaining(['waiting', 'slot']));
    expect(up.map((p) => json(p).t)).toContain('join');
    const forged = { guest: a.room.stats.value.forged, host: h.stats.value.forged };

    // A broker re-delivers them (same session): `waiting` after `slot` must not unseat the guest.
    const raw = await rawClient(broker.url, { clientId: 'redeliver' });
    raws.push(raw);
    for (const p of down) await raw.publishAsync('cp/r1/d/alice', Buffer.from(p), { qos: 1 });
    for (const p of up) await raw.publishAsync('cp/r1/u/alice', Buffer.from(p), { qos: 1 });
    await expect.poll(() => a.room.stats.value.forged).toBe(forged.guest + down.length);
    await expect.poll(() => h.stats.value.forged).toBe(forged.host + up.length);
    expect(a.room.status.value).toEqual({ status: 'playing', slot: 2 });
    expect(h.players.value.map((p) => p.slot)).toEqual([2]);
    expect(h.pending.value).toEqual([]);
    a.room.send(press(1 << Button.Y)); // still seated: its input reaches the host
    await until(h.input(2).value$, (s) => s.buttons === 1 << Button.Y);
  });

  it('waits for a host that starts later, and re-joins a host that crashed and came back', async () => {
    const proxy = await faultProxy(broker.url);
    try {
      const a = guest('alice');
      await broker.waitFor({ type: 'subscribe', clientId: 'alice' });
      const h1 = host({}, proxy.url);
      await playing(a.room);
      a.room.send(press(1 << Button.A));
      await until(h1.input(2).value$, (s) => s.buttons === 1 << Button.A);

      // The host's link dies without DISCONNECT: its last will clears the host presence.
      proxy.refuse();
      await until(a.room.status.value$, (s) => s.status === 'joining');
      const h2 = host();
      await playing(a.room);
      a.room.send(press(1 << Button.X));
      await until(h2.input(2).value$, (s) => s.buttons === 1 << Button.X);
    } finally {
      await proxy.close();
    }
  });

  it('a host object that replaces a crashed one counts its control messages from 0 again: the guest takes them', async () => {
    const proxy = await faultProxy(broker.url);
    try {
      const h1 = host({ pingIntervalMs: 10 }, proxy.url);
      const a = guest('alice');
      await playing(a.room);
      // Many pings: the first host's counter is far above what the next one starts with.
      const pings = () => broker.events.filter((e) => e.type === 'publish' && e.topic === 'cp/r1/d/alice' && json(e.payload!).t === 'ping');
      await expect.poll(() => pings().length).toBeGreaterThanOrEqual(30);
      expect(h1.players.value.map((p) => p.slot)).toEqual([2]);
      proxy.refuse();
      await until(a.room.status.value$, (s) => s.status === 'joining');
      const h2 = host();
      await playing(a.room); // `slot` from h2 has n = 1 or so; without the reset it would be dropped as old
      a.room.send(press(1 << Button.X));
      await until(h2.input(2).value$, (s) => s.buttons === 1 << Button.X);
    } finally {
      await proxy.close();
    }
  });

  it('after a reconnect the guest sends a fresh keyframe and stale frames are never applied', async () => {
    const proxy: FaultProxy = await faultProxy(broker.url);
    try {
      const h = host();
      const a = guest('alice', undefined, proxy.url);
      await playing(a.room);
      a.room.send(press(1 << Button.A));
      await until(h.input(2).value$, (s) => s.buttons === 1 << Button.A);
      const framesBefore = broker.events.filter((e) => e.type === 'publish' && e.topic === 'cp/r1/i/alice');
      const old = decodeFrame(framesBefore.at(-1)!.payload!);
      if (!old.ok) throw new Error('guest sent an invalid frame');

      proxy.cut();
      await until(a.room.status.value$, (s) => s.status === 'joining');
      a.room.send(press(1 << Button.B)); // changed while offline: not sent, must arrive as the keyframe
      await playing(a.room);
      await until(h.input(2).value$, (s) => s.buttons === 1 << Button.B);

      const newFrames = broker.events.filter((e) => e.type === 'publish' && e.topic === 'cp/r1/i/alice').slice(framesBefore.length);
      const first = decodeFrame(newFrames[0]!.payload!);
      expect(first.ok && first.frame.session).not.toBe(old.frame.session);
      expect(first.ok && first.frame.state.buttons).toBe(1 << Button.B);

      // A frame of the old session, even with a newer sequence number, is never applied.
      const stale = await rawClient(broker.url, { clientId: 'replayer' });
      raws.push(stale);
      const before = h.stats.value.staleSession;
      await stale.publishAsync(
        'cp/r1/i/alice',
        Buffer.from(encodeFrame({ seq: (old.frame.seq + 1) & 0xffff, session: old.frame.session, state: press(1 << Button.A) })),
      );
      await until(h.stats.value$, (s) => s.staleSession > before);
      expect(h.input(2).value.buttons).toBe(1 << Button.B);
      expect(statesEqual(h.input(2).value, press(1 << Button.B))).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});
