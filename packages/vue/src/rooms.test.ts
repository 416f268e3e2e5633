import { hostRoom, joinRoom, NEUTRAL, type Connection, type GuestRoom } from '@coplay/core';
import { startBroker, type EmbeddedBroker } from '@coplay/testkit';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { createApp, effectScope, ref } from 'vue';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CoplayPlugin } from './CoplayPlugin';
import { connectedConnection, eventually } from './testing';
import { useGuestRoom } from './useGuestRoom';
import { useHostRoom } from './useHostRoom';
import { usePlayers } from './usePlayers';
import { useRemoteInput } from './useRemoteInput';
import { useValue } from './useValue';

let broker: EmbeddedBroker;
const toClose: Connection[] = [];
const guests: GuestRoom[] = [];
let rooms = 0;

beforeAll(async () => {
  broker = await startBroker({ ws: true });
});
afterEach(async () => {
  await Promise.all(guests.splice(0).map((g) => g.leave()));
  await Promise.all(toClose.splice(0).map((c) => c.close()));
  broker.reset();
});
afterAll(() => broker.close());

async function shared(name: string): Promise<Connection> {
  const conn = await connectedConnection(broker, name);
  toClose.push(conn);
  return conn;
}

function inScope<T>(conn: Connection, fn: () => T) {
  const app = createApp({}).use(CoplayPlugin, { connection: conn });
  const scope = effectScope(true);
  const result = app.runWithContext(() => scope.run(fn)!);
  return { result, scope };
}

/** Resolves once the guest's status is `status` (status$ completes after `closed`, so check the getter first). */
const statusOf = async (guest: GuestRoom, status: string) => {
  if (guest.status.status === status) return;
  await firstValueFrom(guest.status$.pipe(filter((s) => s.status === status), timeout(10_000)));
};

describe('room composables (Vue)', () => {
  it('useHostRoom + usePlayers + useRemoteInput follow a guest; stopping the scope closes the room', async () => {
    const hostConn = await shared('host');
    const room = `vue-host-${++rooms}`;
    const slot = ref(2);
    const { result, scope } = inScope(hostConn, () => {
      const host = useHostRoom({ room, maxPlayers: 3 });
      return { host, players: usePlayers(host), input: useRemoteInput(host, slot) };
    });
    expect(result.host.value?.room).toBe(room);
    expect(result.players.value).toEqual([]);
    expect(result.input.value).toEqual(NEUTRAL);

    const guest = joinRoom(await shared('guest'), { room, name: 'ana', browserEvents: false });
    guests.push(guest);
    await statusOf(guest, 'playing');
    guest.send({ ...NEUTRAL, buttons: 0b11 });
    await eventually(() => expect(result.input.value.buttons).toBe(0b11));
    expect(result.players.value.map((p) => `${p.slot}:${p.name}:${p.status}`)).toEqual(['2:ana:playing']);
    slot.value = 3; // nobody there
    await eventually(() => expect(result.input.value).toEqual(NEUTRAL));
    slot.value = 2;
    await eventually(() => expect(result.input.value.buttons).toBe(0b11));

    scope.stop();
    await statusOf(guest, 'closed');
  });

  it('a ref of options: a new room id closes the old room and opens the new one', async () => {
    const hostConn = await shared('host2');
    const options = ref({ room: `vue-a-${++rooms}` });
    const { result: host, scope } = inScope(hostConn, () => useHostRoom(options));
    const first = host.value!;
    const guest = joinRoom(await shared('guest2'), { room: first.room, browserEvents: false });
    guests.push(guest);
    await statusOf(guest, 'playing');

    options.value = { room: `vue-b-${rooms}` };
    await eventually(() => expect(host.value?.room).toBe(`vue-b-${rooms}`));
    await statusOf(guest, 'closed');
    scope.stop();
    expect(host.value).toBeUndefined();
  });

  it('useGuestRoom joins, useValue follows its status, and stopping the scope leaves', async () => {
    const room = `vue-guest-${++rooms}`;
    const host = hostRoom(await shared('host3'), { room });
    const guestConn = await shared('guest3');
    const { result: status, scope } = inScope(guestConn, () => {
      const guest = useGuestRoom(() => ({ room, name: 'bo', browserEvents: false }));
      return useValue(guest, 'status', { status: 'joining' as const });
    });
    await eventually(() => expect(status.value).toEqual({ status: 'playing', slot: 2 }), 10_000);
    expect(host.players.map((p) => `${p.name}:${p.status}`)).toEqual(['bo:playing']);

    scope.stop();
    await eventually(() => expect(host.players.map((p) => p.status)).toEqual(['left']));
    await host.close();
  });
});
