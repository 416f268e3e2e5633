import { faultProxy, startBroker, type EmbeddedBroker } from '@coplay/testkit';
import { BehaviorSubject, Subject, VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Button, NEUTRAL, type ControllerState } from '../input/ControllerState';
import { decodeFrame } from '../input/decodeFrame';
import { jsonBytes } from './controlMessages';
import { guestWill } from './guestWill';
import { hostRoom } from './hostRoom';
import { joinRoom } from './joinRoom';
import { concatBytes } from '@noble/hashes/utils';
import { CONTROL_TAG_BYTES, createGuestKeys, SIGNATURE_BYTES, toBase64Url } from './roomCrypto';
import { broadcastUntil, connections, json, press, rawClient, until } from './roomTestKit';
import type { GuestRoom, HostRoom } from './types';

let broker: EmbeddedBroker;
const conns = connections(() => broker.url);
const rooms: Array<HostRoom | GuestRoom> = [];
beforeEach(async () => {
  broker = await startBroker();
});
afterEach(async () => {
  for (const r of rooms.splice(0)) await r.close();
  await conns.closeAll();
  await broker.close();
});

/** Browser stand-ins: Node's own EventTarget, so real events are dispatched to the guest. */
function fakeBrowser() {
  const window = new EventTarget();
  const document = Object.assign(new EventTarget(), { visibilityState: 'visible' });
  const setVisibility = (v: 'visible' | 'hidden') => {
    document.visibilityState = v;
    document.dispatchEvent(new Event('visibilitychange'));
  };
  return { window, document, setVisibility };
}

function framesOf(clientId: string) {
  return broker.events
    .filter((e) => e.type === 'publish' && e.topic === `cp/r1/i/${clientId}`)
    .map((e) => {
      const r = decodeFrame(e.payload!);
      if (!r.ok) throw new Error(`guest sent an invalid frame (${r.reason})`);
      return r.frame;
    });
}

// An authenticated room (the default): the guest joins with the host's invite.
async function setup(guestOptions: Partial<Parameters<typeof joinRoom>[1]> = {}) {
  const h = hostRoom(conns.open({ clientId: 'host' }), { room: 'r1' });
  rooms.push(h);
  const g = joinRoom(conns.open({ clientId: 'g', will: guestWill('r1', 'g') }), { invite: await h.invite, ...guestOptions });
  rooms.push(g);
  return { h, g };
}

describe('joinRoom', () => {
  it('validates invites, ids, options and states with typed errors', () => {
    const ok = conns.open({ clientId: 'ok', autoConnect: false });
    expect(() => joinRoom(ok, { room: 'a/b', secure: false })).toThrowError(expect.objectContaining({ code: 'INVALID_ID' }));
    expect(() => joinRoom(ok, { room: 'r#', secure: false })).toThrowError(expect.objectContaining({ code: 'INVALID_ID' }));
    expect(() => joinRoom(ok, { room: 'r1', secure: false, keyframeMs: 0 })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => joinRoom(ok, { room: 'r1', secure: false, name: 5 as never })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    // Authentication is the default: a room id alone is not enough, and a bad invite is refused.
    expect(() => joinRoom(ok, { room: 'r1' })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => joinRoom(ok, { invite: 'https://x.example/play#r=r1&k=short' })).toThrowError(expect.objectContaining({ code: 'INVALID_INVITE' }));
    expect(() => joinRoom(ok, { invite: '#k=abc' })).toThrowError(expect.objectContaining({ code: 'INVALID_INVITE' }));
    expect(() => joinRoom(ok, { invite: { room: 'r1' }, secure: true })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    const g = joinRoom(ok, { room: 'r1', secure: false, browserEvents: false });
    rooms.push(g);
    expect(g.status.value).toEqual({ status: 'joining' });
    expect(g.hostTrust.value).toBe('unverified');
    expect(() => g.send({ buttons: 1 << 20, axes: [0, 0, 0, 0], triggers: [0, 0] })).toThrowError(
      expect.objectContaining({ code: 'INVALID_PAYLOAD' }),
    );
    expect(() => g.send({ buttons: 0, axes: [Number.NaN, 0, 0, 0], triggers: [0, 0] })).toThrowError(
      expect.objectContaining({ code: 'INVALID_PAYLOAD' }),
    );
    expect(() => hostRoom(ok, { room: 'r1', maxPlayers: 1 })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => hostRoom(ok, { room: 'r1', admission: 'maybe' as never })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => hostRoom(ok, { room: 'r1', silenceMs: -1 })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => hostRoom(ok, { room: '' })).toThrowError(expect.objectContaining({ code: 'INVALID_ID' }));
  });

  it('sends NEUTRAL while the window is blurred or the tab hidden, and on gamepaddisconnected', async () => {
    const browser = fakeBrowser();
    const { h, g } = await setup({ browserEvents: browser });
    await until(g.status.value$, (s) => s.status === 'playing');
    g.send(press(1 << Button.A));
    await until(h.input(2).value$, (s) => s.buttons === 1 << Button.A);

    browser.window.dispatchEvent(new Event('blur'));
    await until(h.input(2).value$, (s) => s.buttons === 0);
    g.send(press(1 << Button.B)); // still neutral while blurred
    browser.window.dispatchEvent(new Event('focus'));
    await until(h.input(2).value$, (s) => s.buttons === 1 << Button.B);

    browser.setVisibility('hidden');
    await until(h.input(2).value$, (s) => s.buttons === 0);
    browser.setVisibility('visible');
    await until(h.input(2).value$, (s) => s.buttons === 1 << Button.B);

    const before = framesOf('g').length;
    browser.window.dispatchEvent(new Event('gamepaddisconnected'));
    await expect.poll(() => framesOf('g').slice(before).some((f) => f.state.buttons === 0)).toBe(true);
  });

  it('attach samples a source, sends changes with tap latching, and detaching sends NEUTRAL', async () => {
    const { h, g } = await setup({ browserEvents: false });
    await until(g.status.value$, (s) => s.status === 'playing');
    const pad = new BehaviorSubject<ControllerState>(NEUTRAL);
    const seen: number[] = [];
    h.input(2).value$.subscribe((s) => seen.push(s.buttons));
    const detach = g.attach(pad, { hz: 30 });
    // A tap shorter than a sample still arrives.
    pad.next(press(1 << Button.START));
    pad.next(NEUTRAL);
    await until(h.input(2).value$, (s) => s.buttons === 1 << Button.START);
    await until(h.input(2).value$, (s) => s.buttons === 0);
    pad.next(press(1 << Button.Y));
    await until(h.input(2).value$, (s) => s.buttons === 1 << Button.Y);
    detach();
    await until(h.input(2).value$, (s) => s.buttons === 0);
    expect(seen).toEqual([0, 1 << Button.START, 0, 1 << Button.Y, 0]);
    expect(pad.observed).toBe(false);
  });

  it('sends a keyframe every keyframeMs of its clock when nothing changes', async () => {
    const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);
    const { g } = await setup({ browserEvents: false, scheduler });
    await until(g.status.value$, (s) => s.status === 'playing');
    g.send(press(3));
    await expect.poll(() => framesOf('g').length).toBe(2); // keyframe on admission + the change
    scheduler.maxFrames = 1000;
    scheduler.flush(); // one virtual second of silence
    await expect.poll(() => framesOf('g').length).toBe(12);
    const frames = framesOf('g');
    expect(frames.every((f) => f.state.buttons === 3 || f === frames[0])).toBe(true);
    // Sequence numbers count up by one, times follow the guest clock.
    expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => frames[0]!.seq + i));
    expect(frames.slice(2).map((f) => f.time)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  });

  it('reports the host’s broadcasts and completes its observables on leave', async () => {
    const { h, g } = await setup({ browserEvents: false, name: ' Ada\u0007 ' });
    await until(g.status.value$, (s) => s.status === 'playing');
    expect(h.players.value[0]?.name).toBe('Ada');
    await broadcastUntil(h, g, { level: 3 }, (s) => (s as { level?: number } | undefined)?.level === 3);
    expect(g.hostTrust.value).toBe('verified');
    expect(g.stats.value).toEqual({ forged: 0, badControl: 0 });
    let completed = 0;
    g.status.value$.subscribe({ complete: () => completed++ });
    g.rtt.value$.subscribe({ complete: () => completed++ });
    g.hostState.value$.subscribe({ complete: () => completed++ });
    const status = g.status.value;
    expect(g.status.value).toBe(status); // the same object until it changes
    await g.close();
    await g.close(); // idempotent
    expect(completed).toBe(3);
    expect(g.status.value).toEqual({ status: 'closed' });
    expect(() => g.send(NEUTRAL)).toThrowError(expect.objectContaining({ code: 'ROOM_CLOSED' }));
    await until(h.players.value$, (ps) => ps[0]?.status === 'left');
  });

  it('ends as closed when its connection is closed', async () => {
    const conn = conns.open({ clientId: 'g2' });
    const g = joinRoom(conn, { room: 'r1', secure: false, browserEvents: false });
    await conn.close();
    expect(g.status.value).toEqual({ status: 'closed' });
  });

  it('a host with an outgoing connection sends everything on it; its input connection never publishes', async () => {
    const input = conns.open({ clientId: 'in-host' });
    const outgoing = conns.open({ clientId: 'out-host' });
    const h = hostRoom<{ n: number }>(input, { room: 'r2', outgoing, pingIntervalMs: 50 });
    rooms.push(h);
    const g = joinRoom<{ n: number }>(conns.open({ clientId: 'g3' }), { invite: await h.invite, browserEvents: false });
    rooms.push(g);
    await until(g.status.value$, (s) => s.status === 'playing');
    g.send(press(1 << Button.A));
    await until(h.input(2).value$, (s) => s.buttons === 1 << Button.A);
    await broadcastUntil(h, g, { n: 1 }, (s) => s?.n === 1);
    await until(h.players.value$, (ps) => ps[0]?.rttMs !== undefined); // pings and pongs flowed
    await h.close();
    await until(g.status.value$, (s) => s.status === 'closed');
    const published = (clientId: string) => broker.events.filter((e) => e.type === 'publish' && e.clientId === clientId).map((e) => e.topic!);
    expect(published('in-host')).toEqual([]);
    expect(new Set(published('out-host'))).toEqual(new Set(['cp/r2/h', 'cp/r2/d/g3', 'cp/r2/s']));
    expect(() => hostRoom(input, { room: 'r3', outgoing: {} as never })).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });

  it('an injected focus source (no DOM): NEUTRAL while not focused, the held state when back, released on release$', async () => {
    const focused = new BehaviorSubject(true);
    const release$ = new Subject<void>();
    const focus = { get value() { return focused.value; }, value$: focused.asObservable(), release$ };
    const { h, g } = await setup({ focus });
    await until(g.status.value$, (s) => s.status === 'playing');
    g.send(press(1 << Button.A));
    await until(h.input(2).value$, (s) => s.buttons === 1 << Button.A);
    focused.next(false);
    await until(h.input(2).value$, (s) => s.buttons === 0);
    g.send(press(1 << Button.B)); // held while away: not sent
    focused.next(true);
    await until(h.input(2).value$, (s) => s.buttons === 1 << Button.B);
    release$.next();
    await until(h.input(2).value$, (s) => s.buttons === 0);
    await g.close();
    expect(focused.observed || release$.observed).toBe(false); // closing the room stops listening
  });

  it('a ping the broker delivers ahead of the `slot` sent before it (QoS 0 overtaking QoS 1) does not drop the `slot`; replays still do', async () => {
    // A hand-made host speaking the documented wire protocol (unauthenticated room).
    const host = await rawClient(broker.url, { clientId: 'hand-host' });
    try {
      await host.subscribeAsync('cp/r6/u/+', { qos: 1 });
      const presence = { v: 2, n: 0, admission: 'auto', maxPlayers: 2, pingMs: 1000, inst: 'hand' };
      await host.publishAsync('cp/r6/h', JSON.stringify(presence), { qos: 1, retain: true });
      const down = (m: Record<string, unknown>, qos: 0 | 1) => host.publishAsync('cp/r6/d/g6', JSON.stringify(m), { qos });
      let session: number | undefined;
      host.on('message', (topic, payload) => {
        const m = json(payload);
        if (topic === 'cp/r6/u/g6' && m.t === 'join') session ??= m.session as number;
      });
      // A join retry an hour away: the first `slot` is the only one this guest gets.
      const g = joinRoom(conns.open({ clientId: 'g6' }), { room: 'r6', secure: false, browserEvents: false, joinRetryMs: 3_600_000 });
      rooms.push(g);
      await expect.poll(() => session, { timeout: 10_000 }).toBeDefined();
      // The host sent slot (n 1, QoS 1) then ping (n 2, QoS 0); the ping arrives first.
      await down({ t: 'ping', n: 2, ts: 1 }, 0);
      await down({ t: 'slot', n: 1, slot: 2, session }, 1);
      await until(g.status.value$, (s) => s.status === 'playing', 10_000, 'playing');
      expect(g.stats.value.forged).toBe(0);

      // Replays of either kind are still counted and not applied.
      await down({ t: 'ping', n: 2, ts: 2 }, 0);
      await down({ t: 'kick', n: 1 }, 1);
      await until(g.stats.value$, (s) => s.forged === 2, 10_000, 'two replays counted');
      expect(g.status.value).toEqual({ status: 'playing', slot: 2 });
      await down({ t: 'kick', n: 3 }, 1);
      await until(g.status.value$, (s) => s.status === 'kicked', 10_000, 'kicked');
    } finally {
      await host.endAsync(true);
    }
  });

  it('a guest that finds no host presence (someone deleted the retained one) asks for it with hello, and joins', async () => {
    const h = hostRoom(conns.open({ clientId: 'host-h' }), { room: 'r4' });
    rooms.push(h);
    await broker.waitFor({ type: 'publish', clientId: 'host-h', topic: 'cp/r4/h' });
    const vandal = await rawClient(broker.url, { clientId: 'vandal' });
    await vandal.publishAsync('cp/r4/h', Buffer.alloc(0), { qos: 1, retain: true }); // no retained presence left
    await vandal.endAsync(true);
    const g = joinRoom(conns.open({ clientId: 'g4' }), { invite: await h.invite, browserEvents: false, joinRetryMs: 100 });
    rooms.push(g);
    await until(g.status.value$, (s) => s.status === 'playing');
    expect(g.hostTrust.value).toBe('verified');
    expect(broker.count('publish', { clientId: 'g4', topic: 'cp/r4/u/g4' })).toBeGreaterThan(0);
    expect(h.stats.value.forged).toBe(0); // a hello is not a forgery
  });

  it('a badly signed presence carrying a real key: the key agreement started alongside the check is never used', async () => {
    const h = hostRoom(conns.open({ clientId: 'host-f' }), { room: 'r7' });
    rooms.push(h);
    await broker.waitFor({ type: 'publish', clientId: 'host-f', topic: 'cp/r7/h' });
    // The only retained presence: a valid P-256 key (the guest can agree with it), a signature that is not the host's.
    const vandal = await rawClient(broker.url, { clientId: 'vandal-f' });
    const fake = jsonBytes({ v: 2, n: 1e9, admission: 'auto', maxPlayers: 4, pingMs: 1000, dk: toBase64Url((await createGuestKeys()).dhPublic) });
    await vandal.publishAsync('cp/r7/h', Buffer.from(concatBytes(crypto.getRandomValues(new Uint8Array(SIGNATURE_BYTES)), fake)), { qos: 1, retain: true });
    await vandal.endAsync(true);
    const g = joinRoom(conns.open({ clientId: 'g7' }), { invite: await h.invite, browserEvents: false, joinRetryMs: 100 });
    rooms.push(g);
    await until(g.stats.value$, (s) => s.forged === 1, 10_000, 'the forged presence counted');
    expect(g.hostTrust.value).toBe('pending');
    // Its hello brings the host's own presence (n 1, below the forgery's 1e9, which was never believed).
    await until(g.status.value$, (s) => s.status === 'playing');
    expect(g.hostTrust.value).toBe('verified');
    expect(h.stats.value.forged).toBe(0); // no join ever went out sealed with keys agreed with the forger's key
  });

  it('a guest whose credentials give its link another client id clears no presence under the first one (after a move it clears its own) and sends join before presence', async () => {
    const h = hostRoom(conns.open({ clientId: 'host-m' }), { room: 'r8' });
    rooms.push(h);
    const invite = await h.invite;
    let device = 1;
    // The room is made before the credentials come (as on a page): its first topic id is the placeholder's.
    const conn = conns.open({ clientId: 'placeholder-g8', credentials: () => ({ clientId: `g8-${device}` }) });
    const g = joinRoom(conn, { invite, browserEvents: false });
    rooms.push(g);
    await until(g.status.value$, (s) => s.status === 'playing');
    expect(h.players.value.map((p) => p.id)).toEqual(['g8-1']);
    expect(broker.count('publish', { topic: 'cp/r8/p/placeholder-g8' })).toBe(0); // nothing of ours was there
    // The join goes out ahead of the presence: the host answers the join.
    const mine = broker.events.filter((e) => e.type === 'publish' && e.clientId === 'g8-1').map((e) => e.topic);
    expect(mine.indexOf('cp/r8/u/g8-1')).toBeGreaterThanOrEqual(0);
    expect(mine.indexOf('cp/r8/u/g8-1')).toBeLessThan(mine.indexOf('cp/r8/p/g8-1'));

    device = 2;
    conn.reconnect();
    await until(h.players.value$, (ps) => ps[0]?.id === 'g8-2' && ps[0].status === 'playing');
    await broker.waitFor({ type: 'publish', clientId: 'g8-2', topic: 'cp/r8/p/g8-1', payload: '' });
  });

  it('each side sends before it tells its page: join before hostTrust is verified, slot before the player list, keyframe before playing', async () => {
    // What each real connection has been asked to publish, seen from the room's observables as they change.
    const asked = (conn: ReturnType<typeof conns.open>) => {
      const topics: string[] = [];
      const publish = conn.publish.bind(conn);
      conn.publish = (topic, payload, options) => {
        topics.push(topic);
        return publish(topic, payload, options);
      };
      return topics;
    };
    const hostConn = conns.open({ clientId: 'host-o' });
    const hostAsked = asked(hostConn);
    const h = hostRoom(hostConn, { room: 'r9' });
    rooms.push(h);
    const guestConn = conns.open({ clientId: 'g9' });
    const guestAsked = asked(guestConn);
    const g = joinRoom(guestConn, { invite: await h.invite, browserEvents: false });
    rooms.push(g);
    const seen: string[] = [];
    const once = (what: string, ok: boolean) => seen.some((x) => x.startsWith(what)) || seen.push(`${what}: ${ok}`);
    g.hostTrust.value$.subscribe((t) => t === 'verified' && once('verified after join', guestAsked.includes('cp/r9/u/g9')));
    g.status.value$.subscribe((s) => s.status === 'playing' && once('playing after frame', guestAsked.includes('cp/r9/i/g9')));
    h.players.value$.subscribe((ps) => ps.length > 0 && once('seated after slot', hostAsked.includes('cp/r9/d/g9')));
    await until(g.status.value$, (s) => s.status === 'playing');
    expect(seen).toEqual(['verified after join: true', 'seated after slot: true', 'playing after frame: true']);
  });

  it('a new guest object on a client id whose seat another key still holds (a reloaded page) negotiates a link id', async () => {
    const h = hostRoom(conns.open({ clientId: 'host-dup' }), { room: 'r5', releaseMs: 600_000 });
    rooms.push(h);
    const invite = await h.invite;
    const firstConn = conns.open({ clientId: 'dup' });
    const first = joinRoom(firstConn, { invite, browserEvents: false });
    await until(first.status.value$, (s) => s.status === 'playing');
    await firstConn.close(); // the tab goes away without leaving: its seat stays held
    const second = joinRoom(conns.open({ clientId: 'dup' }), { invite, browserEvents: false, joinRetryMs: 50 });
    rooms.push(second);
    await until(second.status.value$, (s) => s.status === 'playing');
    expect(second.status.value).toEqual({ status: 'playing', slot: 3 });
    const ids = h.players.value.map((p) => [p.slot, p.id, p.clientId]);
    expect(ids[0]).toEqual([2, 'dup', 'dup']);
    expect(ids[1]![1]).toMatch(/^[0-9A-Za-z]{8}$/); // its link id
    expect(ids[1]![2]).toBe('dup');
    expect(h.stats.value.forged).toBeGreaterThanOrEqual(3); // the unanswered joins on the held topic id
  });

  it('a guest freed while the host was offline, whose input never pauses, is told so when the host hears it again, and plays on (authenticated)', async () => {
    // Seen on a NATS cluster: the host's node died, the host took 10 s to fail over, freed the guest
    // meanwhile, and the guest (input at 60 Hz: no gap for a ping) played on unseated for good.
    const proxy = await faultProxy(broker.url);
    try {
      const hostLink = conns.open({ clientId: 'host', url: proxy.url, keepalive: 1 });
      const h = hostRoom(hostLink, { room: 'r1', releaseMs: 300 });
      rooms.push(h);
      const g = joinRoom(conns.open({ clientId: 'g' }), { invite: await h.invite, browserEvents: false });
      rooms.push(g);
      await until(g.status.value$, (s) => s.status === 'playing');
      let n = 0;
      const sender = setInterval(() => g.send(press((++n % 2) + 1)), 16);
      try {
        await until(h.input(2).value$, (s) => s.buttons !== 0);
        proxy.blackhole(); // the host hears nothing (and, after 1.5 × keepalive, reconnects into the same hole)
        await until(h.players.value$, (ps) => ps[0]?.status === 'left', 10_000, 'the guest freed');
        await until(hostLink.state.value$, (s) => s.status !== 'connected', 10_000, 'the host link down');
        proxy.pass();
        await until(h.players.value$, (ps) => ps[0]?.status === 'playing', 10_000, 'the guest seated again');
        let changes = 0;
        const counting = h.input(2).value$.subscribe(() => changes++);
        await expect.poll(() => changes, { timeout: 10_000 }).toBeGreaterThan(5);
        counting.unsubscribe();
        expect(g.status.value).toEqual({ status: 'playing', slot: 2 });
        const toldToRejoin = broker.events.filter(
          (e) => e.type === 'publish' && e.topic === 'cp/r1/d/g' && json(e.payload!.subarray(CONTROL_TAG_BYTES)).t === 'rejoin',
        );
        expect(toldToRejoin.length).toBeGreaterThanOrEqual(1);
      } finally {
        clearInterval(sender);
      }
    } finally {
      await proxy.close();
    }
  }, 60_000);

  it('a host silent while the guest’s input leaves it no gap to ping in is not taken for gone; silent through the gaps, it is', async () => {
    const scheduler = new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY);
    const advance = (ms: number) => {
      scheduler.schedule(() => {}, ms); // virtual time only moves as far as its last action
      scheduler.maxFrames = scheduler.now() + ms;
      scheduler.flush();
    };
    // A hand-made host: presence, a slot for every join, then not a word (no pings).
    const host = await rawClient(broker.url, { clientId: 'silent-host' });
    let n = 0;
    host.on('message', (_t, payload) => {
      const m = JSON.parse(payload.toString()) as { t: string; session: number };
      if (m.t === 'join') void host.publishAsync('cp/r9/d/quiet', JSON.stringify({ t: 'slot', slot: 2, session: m.session, n: ++n }), { qos: 1 }).catch(() => undefined);
    });
    await host.subscribeAsync('cp/r9/u/+', { qos: 1 });
    await host.publishAsync('cp/r9/h', JSON.stringify({ v: 2, n: 1, admission: 'auto', maxPlayers: 2, pingMs: 1000, inst: 'x' }), { qos: 1, retain: true });
    const g = joinRoom(conns.open({ clientId: 'quiet' }), { room: 'r9', secure: false, scheduler, browserEvents: false });
    rooms.push(g);
    await expect.poll(() => (advance(1000), g.status.value.status), { interval: 5 }).toBe('playing');
    const joins = () => broker.events.filter((e) => e.type === 'publish' && e.topic === 'cp/r9/u/quiet').length;
    const joined = joins();
    // 12 s of input 40 ms apart (a stick in motion), more than twice hostTimeoutMs: still playing, no re-join.
    for (let t = 0; t < 12_000; t += 40) {
      g.send(press(t % 80 ? 1 : 2));
      advance(40);
      expect(g.status.value.status).toBe('playing');
    }
    expect(joins()).toBe(joined);
    // The input pauses (keyframes 100 ms apart: gaps the host could ping in), the host stays silent: gone.
    for (let t = 0; t < 6000 && g.status.value.status === 'playing'; t += 100) advance(100);
    expect(g.status.value.status).toBe('joining');
    host.removeAllListeners('message');
    await host.endAsync();
  }, 30_000);
});
