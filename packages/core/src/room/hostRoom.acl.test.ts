import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requireTool, startMosquitto, type MosquittoInstance } from '@coplay/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Button } from '../input/ControllerState';
import { encodeFrame } from '../input/encodeFrame';
import { guestWill } from './guestWill';
import { hostRoom } from './hostRoom';
import { hostWill } from './hostWill';
import { joinRoom } from './joinRoom';
import { connections, press, until } from './roomTestKit';
import type { GuestRoom, HostRoom } from './types';

const mosquitto = requireTool('mosquitto');
const acl = readFileSync(fileURLToPath(new URL('../../../../docs/mosquitto-acl.conf', import.meta.url)), 'utf8');
const users = { a1: 'host-secret', alice: 'alice-secret', bob: 'bob-secret' };

describe.skipIf(!mosquitto.available)('docs/mosquitto-acl.conf on a real mosquitto', () => {
  let broker: MosquittoInstance;
  const conns = connections(() => broker.url);
  const rooms: Array<HostRoom | GuestRoom> = [];

  beforeAll(async () => {
    broker = await startMosquitto({ acl, users, allowAnonymous: false });
  });
  afterAll(async () => {
    for (const r of rooms.splice(0)) await r.close();
    await conns.closeAll();
    await broker?.close();
  });

  it('lets guests play, but a guest can neither inject input for another guest nor speak as the host', async () => {
    const host = hostRoom(
      conns.open({ clientId: 'a1-host', credentials: { username: 'a1', password: users.a1 }, will: hostWill('a1') }),
      { room: 'a1', secure: false },
    );
    rooms.push(host);
    const guest = (name: 'alice' | 'bob') => {
      const connection = conns.open({
        clientId: name,
        credentials: { username: name, password: users[name] },
        will: guestWill('a1', name),
      });
      const room = joinRoom(connection, { room: 'a1', secure: false, browserEvents: false });
      rooms.push(room);
      return { connection, room };
    };
    const alice = guest('alice');
    const bob = guest('bob');
    await until(alice.room.status.value$, (s) => s.status === 'playing');
    await until(bob.room.status.value$, (s) => s.status === 'playing');
    const slotOf = (id: string) => host.players.value.find((p) => p.id === id)!.slot;
    alice.room.send(press(1 << Button.A));
    await until(host.input(slotOf('alice')).value$, (s) => s.buttons === 1 << Button.A);

    // The room owner's account sees everything in the room: if a forged message got through, it would see it.
    const observer = conns.open({ clientId: 'a1-observer', credentials: { username: 'a1', password: users.a1 } });
    const seen: Array<{ topic: string; text: string }> = [];
    observer.topic('cp/a1/#', { qos: 1 }).subscribe((m) => {
      seen.push({ topic: m.topic, text: Buffer.from(m.payload).toString('latin1') });
    });
    await observer.publish('cp/a1/probe', 'observer ready', { qos: 1 });
    await expect.poll(() => seen.some((m) => m.text === 'observer ready')).toBe(true);

    // Bob, a legitimate guest of the room, forges traffic.
    const forgedFrame = Buffer.from(encodeFrame({ seq: 40_000, session: 0, state: { buttons: 0x1ffff, axes: [1, 1, 1, 1], triggers: [1, 1] } }));
    const forged: Array<[topic: string, payload: string | Uint8Array, retain?: boolean]> = [
      ['cp/a1/i/alice', forgedFrame], // input for another guest
      ['cp/a1/u/alice', JSON.stringify({ t: 'leave', n: 99 })], // another guest's leave
      ['cp/a1/p/alice', '', true], // another guest's last will
      ['cp/a1/d/alice', JSON.stringify({ t: 'kick', n: 99, reason: 'forged' })], // host → guest control
      ['cp/a1/d/bob', JSON.stringify({ t: 'slot', n: 99, slot: 4, session: 0 })],
      ['cp/a1/s', JSON.stringify({ forged: true }), true], // host broadcast
      ['cp/a1/h', '', true], // host presence
    ];
    for (const [topic, payload, retain] of forged) {
      // QoS 1 so each one has been through the broker before the next line runs.
      await bob.connection.publish(topic, payload, { qos: 1, retain: retain ?? false });
      await bob.connection.publish(topic, payload, { qos: 0, retain: retain ?? false });
    }
    // Bob cannot listen to alice's control topic either (mosquitto grants the SUBSCRIBE but
    // checks read access on delivery). The room owner sends alice a probe, then bob a marker:
    // bob receives in order, so once the marker is in, the probe would have been too.
    const bobSaw: string[] = [];
    bob.connection.topic('cp/a1/d/+', { qos: 1 }).subscribe((m) => bobSaw.push(`${m.topic} ${Buffer.from(m.payload).toString()}`));
    await bob.connection.publish('cp/a1/p/bob', JSON.stringify({ v: 2 }), { qos: 1, retain: true }); // SUBSCRIBE done
    await observer.publish('cp/a1/d/alice', JSON.stringify({ t: 'probe' }), { qos: 1 });
    await observer.publish('cp/a1/d/bob', JSON.stringify({ t: 'marker' }), { qos: 1 });
    await expect.poll(() => bobSaw.some((m) => m.includes('marker'))).toBe(true);
    expect(bobSaw.filter((m) => m.includes('/alice'))).toEqual([]);

    // Bob's own input is allowed; published after the forgeries, it arrives after them.
    bob.room.send(press(1 << Button.X));
    await until(host.input(slotOf('bob')).value$, (s) => s.buttons === 1 << Button.X);
    await expect.poll(() => seen.some((m) => m.topic === 'cp/a1/i/bob')).toBe(true);

    // None of the forgeries reached a subscriber.
    const forgedTopics = new Set(forged.map(([t]) => t));
    const leaked = seen.filter(
      (m) =>
        m.text === forgedFrame.toString('latin1') ||
        m.text.includes('forged') ||
        m.text.includes('"leave"') ||
        (forgedTopics.has(m.topic) && m.text === '' && m.topic !== 'cp/a1/i/alice'),
    );
    expect(leaked).toEqual([]);
    expect(seen.filter((m) => m.topic === 'cp/a1/i/alice').every((m) => m.text !== forgedFrame.toString('latin1'))).toBe(true);
    // Nothing changed for alice or the room.
    expect(alice.room.status.value.status).toBe('playing');
    expect(bob.room.status.value).toEqual({ status: 'playing', slot: slotOf('bob') });
    expect(host.players.value.find((p) => p.id === 'alice')?.status).toBe('playing');
    expect(host.input(slotOf('alice')).value.buttons).toBe(1 << Button.A);
    expect(alice.room.hostState.value).toBeUndefined();
    expect(host.stats.value.staleSession).toBe(0);
  });
});
