import { createConnection, hostRoom, joinRoom, NEUTRAL } from '@coplay/core';
import { waitForGuestStatus } from '@coplay/testkit';
import { useBrokerFixture } from '@coplay/testkit/vitest';
import { ref } from 'vue';
import { describe, expect, it, vi } from 'vitest';
import { inScope } from './testing';
import { useGuestRoom } from './useGuestRoom';
import { useHostRoom } from './useHostRoom';
import { usePlayers } from './usePlayers';
import { useRemoteInput } from './useRemoteInput';
import { useLive } from './useLive';

const fx = useBrokerFixture({ createConnection });
let rooms = 0;

describe('room composables (Vue)', () => {
  it('useHostRoom + usePlayers + useRemoteInput follow a guest; stopping the scope closes the room', async () => {
    const hostConn = await fx.connect('host');
    const room = `vue-host-${++rooms}`;
    const slot = ref(2);
    const { result, scope } = inScope(hostConn, () => {
      const host = useHostRoom({ room, secure: false, maxPlayers: 3 });
      return { host, players: usePlayers(host), input: useRemoteInput(host, slot) };
    });
    expect(result.host.value?.room).toBe(room);
    expect(result.players.value).toEqual([]);
    expect(result.input.value).toEqual(NEUTRAL);

    const guest = joinRoom(await fx.connect('guest'), { room, secure: false, name: 'ana', browserEvents: false });
    fx.defer(() => guest.close());
    await waitForGuestStatus(guest, 'playing');
    guest.send({ ...NEUTRAL, buttons: 0b11 });
    await vi.waitFor(() => expect(result.input.value.buttons).toBe(0b11));
    expect(result.players.value.map((p) => `${p.slot}:${p.name}:${p.status}`)).toEqual(['2:ana:playing']);
    slot.value = 3; // nobody there
    await vi.waitFor(() => expect(result.input.value).toEqual(NEUTRAL));
    slot.value = 2;
    await vi.waitFor(() => expect(result.input.value.buttons).toBe(0b11));

    scope.stop();
    await waitForGuestStatus(guest, 'closed');
  });

  it('a ref of options: a new room id closes the old room and opens the new one', async () => {
    const hostConn = await fx.connect('host2');
    const options = ref({ room: `vue-a-${++rooms}`, secure: false });
    const { result: host, scope } = inScope(hostConn, () => useHostRoom(options));
    const first = host.value!;
    const guest = joinRoom(await fx.connect('guest2'), { room: first.room, secure: false, browserEvents: false });
    fx.defer(() => guest.close());
    await waitForGuestStatus(guest, 'playing');

    options.value = { room: `vue-b-${rooms}`, secure: false };
    await vi.waitFor(() => expect(host.value?.room).toBe(`vue-b-${rooms}`));
    await waitForGuestStatus(guest, 'closed');
    scope.stop();
    expect(host.value).toBeUndefined();
  });

  it('useGuestRoom joins, useLive follows its status, and stopping the scope leaves', async () => {
    const room = `vue-guest-${++rooms}`;
    const host = hostRoom(await fx.connect('host3'), { room, secure: false });
    const guestConn = await fx.connect('guest3');
    const { result: status, scope } = inScope(guestConn, () => {
      const guest = useGuestRoom(() => ({ room, secure: false, name: 'bo', browserEvents: false }));
      return useLive(() => guest.value?.status, { status: 'joining' as const });
    });
    await vi.waitFor(() => expect(status.value).toEqual({ status: 'playing', slot: 2 }), { timeout: 10_000 });
    expect(host.players.value.map((p) => `${p.name}:${p.status}`)).toEqual(['bo:playing']);

    scope.stop();
    await vi.waitFor(() => expect(host.players.value.map((p) => p.status)).toEqual(['left']));
    await host.close();
  });
});
