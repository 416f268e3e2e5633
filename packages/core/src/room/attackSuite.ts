// The attacker scenario, shared by the Aedes (no ACL) and mosquitto (ACL) test files
// (not part of the package API). The attacker holds its own valid broker account and the public
// invite, reads whatever the broker lets it read, and speaks the wire protocol by hand.
import type { MqttClient } from 'mqtt';
import { expect } from 'vitest';
import type { Credentials } from '../connection/types';
import { Button } from '../input/ControllerState';
import { encodeFrame } from '../input/encodeFrame';
import { jsonBytes } from './controlMessages';
import { hostRoom } from './hostRoom';
import { joinRoom } from './joinRoom';
import { LinkMacs, seal } from './LinkMacs';
import { concatBytes } from '@noble/hashes/utils';
import { createGuestKeys, deriveLinkKeys, fromBase64Url, SIGNATURE_BYTES, toBase64Url } from './roomCrypto';
import { broadcastUntil, connections, press, rawClient, until } from './roomTestKit';
import type { GuestRoom, HostRoom } from './types';

export interface AttackEnv {
  url: string;
  room: string;
  /** Credentials for the host, a guest, and the attacker's own account. */
  credentials(who: 'host' | 'alice' | 'bob' | 'mallory'): Credentials | undefined;
  /** The broker delivers what the attacker forges (no ACL): every attempt must then be counted. */
  delivered: boolean;
}

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const ALL = 0x1ffff;

/** Runs every attack against a room with two real players; returns what each side counted. */
export async function attackSuite(env: AttackEnv): Promise<void> {
  const conns = connections(() => env.url);
  const rooms: Array<HostRoom | GuestRoom> = [];
  let mallory: MqttClient | undefined;
  try {
    const open = (who: 'host' | 'alice' | 'bob') => {
      const credentials = env.credentials(who);
      return conns.open({ clientId: who === 'host' ? `${env.room}-host` : who, ...(credentials ? { credentials } : {}) });
    };
    const host = hostRoom<{ score: number }>(open('host'), { room: env.room, maxPlayers: 4 });
    rooms.push(host);
    const invite = await host.invite;
    const alice = joinRoom<{ score: number }>(open('alice'), { invite, name: 'Alice', browserEvents: false });
    const bob = joinRoom<{ score: number }>(open('bob'), { invite, name: 'Bob', browserEvents: false });
    rooms.push(alice, bob);
    await until(alice.status.value$, (s) => s.status === 'playing');
    await until(bob.status.value$, (s) => s.status === 'playing');
    const slotOf = (id: string) => host.players.value.find((p) => p.id === id)!.slot;
    const [slotA, slotB] = [slotOf('alice'), slotOf('bob')];

    // Everything the real players' slots ever read, to show no forged state was ever applied.
    const seenA: number[] = [];
    const seenB: number[] = [];
    host.input(slotA).value$.subscribe((s) => seenA.push(s.buttons));
    host.input(slotB).value$.subscribe((s) => seenB.push(s.buttons));
    await broadcastUntil(host, alice, { score: 1 }, (s) => s?.score === 1);
    await broadcastUntil(host, bob, { score: 1 }, (s) => s?.score === 1);

    // --- the attacker: its own account, listening to all of the room it may read
    const creds = env.credentials('mallory');
    mallory = await rawClient(env.url, { clientId: 'mallory', ...(creds ? { username: creds.username, password: creds.password as string } : {}) });
    const root = `cp/${env.room}`;
    const captured: Array<{ topic: string; payload: Buffer }> = [];
    mallory.on('message', (topic, payload) => captured.push({ topic, payload: Buffer.from(payload) }));
    await mallory.subscribeAsync(`${root}/#`, { qos: 1 });
    alice.send(press(1 << Button.A));
    await until(host.input(slotA).value$, (s) => s.buttons === 1 << Button.A);
    if (env.delivered) await expect.poll(() => captured.some((m) => m.topic === `${root}/i/alice`)).toBe(true);
    const pub = (topic: string, payload: Uint8Array | string, retain = false) =>
      mallory!.publishAsync(topic, typeof payload === 'string' ? payload : Buffer.from(payload), { qos: 1, retain });

    const frameOf = (m: { payload: Buffer }) => ({ session: m.payload[1]!, seq: m.payload.readUInt16BE(2) });
    const aliceFrame = captured.filter((m) => m.topic === `${root}/i/alice`).at(-1);
    const { session, seq } = aliceFrame ? frameOf(aliceFrame) : { session: 0, seq: 0 };
    const forged = (s: number) => encodeFrame({ session, seq: s & 0xffff, state: { buttons: ALL, axes: [1, 1, 1, 1], triggers: [1, 1] } });

    // 1. Input for another player's slot: a made-up tag, and no tag at all.
    await pub(`${root}/i/alice`, concatBytes(forged(seq + 1), random(8)));
    await pub(`${root}/i/alice`, forged(seq + 1));
    // 2. A far-ahead sequence number (the v1 lock-out).
    await pub(`${root}/i/alice`, concatBytes(forged(seq + 1000), random(8)));
    await pub(`${root}/i/bob`, concatBytes(forged(30_000), random(8)));
    // 3. Replays of captured, authentic frames.
    if (aliceFrame) {
      await pub(`${root}/i/alice`, aliceFrame.payload);
      await pub(`${root}/i/alice`, aliceFrame.payload);
    }
    // 4. A forged kick, and a captured authentic control message replayed.
    await pub(`${root}/d/alice`, JSON.stringify({ t: 'kick', n: 1e9, reason: 'pwned' }));
    await pub(`${root}/d/alice`, concatBytes(random(16), jsonBytes({ t: 'kick', n: 1e9, reason: 'pwned' })));
    const aliceDown = captured.filter((m) => m.topic === `${root}/d/alice`).at(-1);
    if (aliceDown) await pub(`${root}/d/alice`, aliceDown.payload);
    await pub(`${root}/p/alice`, '', true); // a forged last will
    // 5. A forged host presence: unsigned, badly signed, and an empty one (host "gone").
    const hostPresence = captured.find((m) => m.topic === `${root}/h` && m.payload.length > SIGNATURE_BYTES);
    const fakePresence = jsonBytes({ v: 2, n: 1e9, admission: 'auto', maxPlayers: 4, pingMs: 1000, dk: toBase64Url((await createGuestKeys()).dhPublic) });
    await pub(`${root}/h`, fakePresence, true);
    await pub(`${root}/h`, concatBytes(random(SIGNATURE_BYTES), fakePresence), true);
    await pub(`${root}/h`, '', true);
    // 6. Forged broadcasts: unsigned, and badly signed with a newer number.
    await pub(`${root}/s`, JSON.stringify({ score: 99 }), true);
    await pub(`${root}/s`, concatBytes(random(SIGNATURE_BYTES), new Uint8Array([0x7f, 0, 0, 0]), jsonBytes({ score: 99 })), true);
    // 7. A flood of joins under the real players' topic ids, each with valid keys of the attacker's own
    //    (it has the invite and the host's signed presence), plus leaves and pongs in their names.
    const hostDk = hostPresence ? (JSON.parse(hostPresence.payload.subarray(SIGNATURE_BYTES).toString()) as { dk: string }).dk : undefined;
    const floods = 30;
    if (hostDk) {
      const dk = fromBase64Url(hostDk)!;
      for (let i = 0; i < floods; i++) {
        const gid = i % 2 ? 'alice' : 'bob';
        const keys = await createGuestKeys();
        const link = new LinkMacs(await deriveLinkKeys(keys.dhPrivate, dk, env.room, dk, keys.dhPublic), env.room, gid);
        const join = { t: 'join', v: 2, n: 0, id: gid, session: i, q: 0, tok: `mallory${i}`, pk: toBase64Url(keys.dhPublic), name: gid };
        await pub(`${root}/u/${gid}`, seal(link.up, jsonBytes(join)));
        await pub(`${root}/u/${gid}`, seal(link.up, jsonBytes({ t: 'leave', n: 1 })));
      }
    }
    await pub(`${root}/u/alice`, JSON.stringify({ t: 'leave', n: 1e9 }));

    // --- what the room counted (only what the broker delivered can be counted)
    if (env.delivered) {
      await expect.poll(() => host.stats.value.forged, { timeout: 15_000 }).toBeGreaterThanOrEqual(4 + floods * 2 + 1);
      await expect.poll(() => host.stats.value.duplicate + host.stats.value.outOfOrder).toBeGreaterThanOrEqual(2);
      await expect.poll(() => alice.stats.value.forged, { timeout: 15_000 }).toBeGreaterThanOrEqual(2 + 2 + 2 + (aliceDown ? 1 : 0));
      await expect.poll(() => bob.stats.value.forged, { timeout: 15_000 }).toBeGreaterThanOrEqual(4);
    }

    // --- the real players: nothing moved them, nobody took their place, their input keeps flowing
    alice.send(press(1 << Button.X));
    bob.send(press(1 << Button.Y));
    await until(host.input(slotA).value$, (s) => s.buttons === 1 << Button.X);
    await until(host.input(slotB).value$, (s) => s.buttons === 1 << Button.Y);
    expect(seenA.includes(ALL) || seenB.includes(ALL)).toBe(false);
    expect(seenA.filter((b) => b !== 0)).toEqual([1 << Button.A, 1 << Button.X]);
    expect(alice.status.value).toEqual({ status: 'playing', slot: slotA });
    expect(bob.status.value).toEqual({ status: 'playing', slot: slotB });
    expect(alice.hostTrust.value).toBe('verified');
    expect(alice.hostState.value).toEqual({ score: 1 });
    expect(bob.hostState.value).toEqual({ score: 1 });
    expect(host.players.value.map((p) => [p.id, p.status])).toEqual(
      [
        ['alice', 'playing'],
        ['bob', 'playing'],
      ].sort((x, y) => slotOf(x[0]!) - slotOf(y[0]!)),
    );
    expect(host.pending.value).toEqual([]);
    // And the real host still reaches them.
    await broadcastUntil(host, alice, { score: 2 }, (s) => s?.score === 2);
  } finally {
    for (const r of rooms.splice(0)) await r.close();
    await mallory?.endAsync(true);
    await conns.closeAll();
  }
}
