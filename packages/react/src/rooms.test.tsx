import { createConnection, hostRoom, joinRoom, NEUTRAL } from '@coplay/core';
import { waitForGuestStatus } from '@coplay/testkit';
import { useBrokerFixture } from '@coplay/testkit/vitest';
import { act, cleanup, render, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { inProvider, modes, text } from './testing';
import { useGuestRoom } from './useGuestRoom';
import { useHostRoom } from './useHostRoom';
import { usePlayers } from './usePlayers';
import { useRemoteInput } from './useRemoteInput';
import { useLive } from './useLive';

const fx = useBrokerFixture({ createConnection, unmount: cleanup });
let rooms = 0;

/** Retained publishes of the room's host presence (an empty payload clears it). */
const hostPresence = (clientId: string, room: string) =>
  fx.broker.events.filter((e) => e.type === 'publish' && e.clientId === clientId && e.topic === `cp/${room}/h`);

describe.each(modes)('room hooks in %s', (_mode, Mode) => {
  it('useHostRoom + usePlayers + useRemoteInput: one room, a guest plays, closed on unmount', async () => {
    const hostConn = await fx.connect('host');
    const room = `react-host-${++rooms}`;
    function Host() {
      const host = useHostRoom({ room, secure: false, maxPlayers: 2 });
      const players = usePlayers(host);
      const p2 = useRemoteInput(host, 2);
      if (!host) return <p data-testid="host">none</p>;
      return <p data-testid="host">{`${players.map((p) => `${p.slot}:${p.name}:${p.status}`).join(',')}|${p2.buttons}`}</p>;
    }
    const view = render(inProvider(Mode, { connection: hostConn }, <Host />));
    await waitFor(() => expect(text('host')).toBe('|0'));

    const guest = joinRoom(await fx.connect('guest'), { room, secure: false, name: 'ana', browserEvents: false });
    fx.defer(() => guest.close());
    await waitForGuestStatus(guest, 'playing');
    guest.send({ ...NEUTRAL, buttons: 0b101 });
    await waitFor(() => expect(text('host')).toBe('2:ana:playing|5'));
    // StrictMode's remount reused the room: its presence was published once and never cleared.
    expect(hostPresence(hostConn.clientId, room).map((e) => e.payload!.length > 0)).toEqual([true]);

    view.unmount();
    await waitForGuestStatus(guest, 'closed');
    expect(hostPresence(hostConn.clientId, room).map((e) => e.payload!.length > 0)).toEqual([true, false]);
  });

  it('opens a new room when the room id changes, closing the old one', async () => {
    const hostConn = await fx.connect('host2');
    const a = `react-a-${++rooms}`;
    const b = `react-b-${rooms}`;
    let setRoom!: (r: string) => void;
    function Host() {
      const [room, set] = useState(a);
      setRoom = set;
      const host = useHostRoom({ room, secure: false });
      return <p data-testid="room">{host?.room ?? 'none'}</p>;
    }
    render(inProvider(Mode, { connection: hostConn }, <Host />));
    await waitFor(() => expect(text('room')).toBe(a));
    const guest = joinRoom(await fx.connect('guest2'), { room: a, secure: false, browserEvents: false });
    fx.defer(() => guest.close());
    await waitForGuestStatus(guest, 'playing');
    setRoom(b);
    await waitFor(() => expect(text('room')).toBe(b));
    await waitForGuestStatus(guest, 'closed');
    expect(hostPresence(hostConn.clientId, b).length).toBe(1);
  });

  it('reopens the room when another option changes, the old one closing first', async () => {
    const hostConn = await fx.connect('host4');
    const room = `react-same-${++rooms}`;
    let setMax!: (n: number) => void;
    function Host() {
      const [maxPlayers, set] = useState(2);
      setMax = set;
      const host = useHostRoom({ room, secure: false, maxPlayers });
      return <p data-testid="max">{host ? String(maxPlayers) : 'none'}</p>;
    }
    render(inProvider(Mode, { connection: hostConn }, <Host />));
    await waitFor(() => expect(text('max')).toBe('2'));
    act(() => setMax(3));
    await waitFor(() => expect(text('max')).toBe('3'));
    // Presence: opened, cleared by the old room's close, then the new room's (retained) presence last.
    await waitFor(() => expect(hostPresence(hostConn.clientId, room).length).toBe(3));
    const last = hostPresence(hostConn.clientId, room).at(-1)!;
    expect(JSON.parse(last.payload!.toString())).toMatchObject({ maxPlayers: 3 });
  });

  it('useGuestRoom joins after mounting, useLive renders its status, and it leaves on unmount', async () => {
    const room = `react-guest-${++rooms}`;
    const host = hostRoom(await fx.connect('host3'), { room, secure: false });
    const guestConn = await fx.connect('guest3');
    function Guest() {
      const guest = useGuestRoom({ room, secure: false, name: 'bo', browserEvents: false });
      const status = useLive(guest?.status, { status: 'joining' as const });
      return <p data-testid="guest">{status.status === 'playing' ? `slot ${status.slot}` : status.status}</p>;
    }
    const view = render(inProvider(Mode, { connection: guestConn }, <Guest />));
    await waitFor(() => expect(text('guest')).toBe('slot 2'), { timeout: 10_000 });
    // One guest session despite StrictMode's remount: one presence, one SUBSCRIBE, one session id
    // (the core re-sends its join when it sees the host's presence; same session).
    const ups = fx.broker.events.filter((e) => e.type === 'publish' && e.topic === `cp/${room}/u/${guestConn.clientId}`);
    const sessions = new Set(ups.map((e) => JSON.parse(e.payload!.toString()).session));
    expect(sessions.size).toBe(1);
    expect(fx.broker.count('publish', { clientId: guestConn.clientId, topic: `cp/${room}/p/${guestConn.clientId}` })).toBe(1);
    expect(fx.broker.count('subscribe', { clientId: guestConn.clientId, filters: [`cp/${room}/d/${guestConn.clientId}`] })).toBe(1);
    expect(host.players.value.map((p) => `${p.name}:${p.status}`)).toEqual(['bo:playing']);

    view.unmount();
    await waitFor(() => expect(host.players.value.map((p) => p.status)).toEqual(['left']));
    await host.close();
  });
});
