import { hostRoom, joinRoom, NEUTRAL, type Connection, type GuestRoom } from '@coplay/core';
import { startBroker, type EmbeddedBroker } from '@coplay/testkit';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { useState } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CoplayProvider } from './CoplayProvider';
import { connectedConnection, modes } from './testing';
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
  cleanup();
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

/** Resolves once the guest's status is `status` (status$ completes after `closed`, so check the getter first). */
const statusOf = async (guest: GuestRoom, status: string) => {
  if (guest.status.status === status) return;
  await firstValueFrom(guest.status$.pipe(filter((s) => s.status === status), timeout(10_000)));
};

const text = (id: string) => screen.getByTestId(id).textContent;

/** Retained publishes of the room's host presence (an empty payload clears it). */
const hostPresence = (clientId: string, room: string) =>
  broker.events.filter((e) => e.type === 'publish' && e.clientId === clientId && e.topic === `coplay/${room}/host`);

describe.each(modes)('room hooks in %s', (_mode, Mode) => {
  it('useHostRoom + usePlayers + useRemoteInput: one room, a guest plays, closed on unmount', async () => {
    const hostConn = await shared('host');
    const room = `react-host-${++rooms}`;
    function Host() {
      const host = useHostRoom({ room, maxPlayers: 2 });
      const players = usePlayers(host);
      const p2 = useRemoteInput(host, 2);
      if (!host) return <p data-testid="host">none</p>;
      return <p data-testid="host">{`${players.map((p) => `${p.slot}:${p.name}:${p.status}`).join(',')}|${p2.buttons}`}</p>;
    }
    const view = render(
      <Mode>
        <CoplayProvider connection={hostConn}>
          <Host />
        </CoplayProvider>
      </Mode>,
    );
    await waitFor(() => expect(text('host')).toBe('|0'));

    const guest = joinRoom(await shared('guest'), { room, name: 'ana', browserEvents: false });
    guests.push(guest);
    await statusOf(guest, 'playing');
    guest.send({ ...NEUTRAL, buttons: 0b101 });
    await waitFor(() => expect(text('host')).toBe('2:ana:playing|5'));
    // StrictMode's remount reused the room: its presence was published once and never cleared.
    expect(hostPresence(hostConn.clientId, room).map((e) => e.payload!.length > 0)).toEqual([true]);

    view.unmount();
    await statusOf(guest, 'closed');
    expect(hostPresence(hostConn.clientId, room).map((e) => e.payload!.length > 0)).toEqual([true, false]);
  });

  it('opens a new room when the room id changes, closing the old one', async () => {
    const hostConn = await shared('host2');
    const a = `react-a-${++rooms}`;
    const b = `react-b-${rooms}`;
    let setRoom!: (r: string) => void;
    function Host() {
      const [room, set] = useState(a);
      setRoom = set;
      const host = useHostRoom({ room });
      return <p data-testid="room">{host?.room ?? 'none'}</p>;
    }
    render(
      <Mode>
        <CoplayProvider connection={hostConn}>
          <Host />
        </CoplayProvider>
      </Mode>,
    );
    await waitFor(() => expect(text('room')).toBe(a));
    const guest = joinRoom(await shared('guest2'), { room: a, browserEvents: false });
    guests.push(guest);
    await statusOf(guest, 'playing');
    setRoom(b);
    await waitFor(() => expect(text('room')).toBe(b));
    await statusOf(guest, 'closed');
    expect(hostPresence(hostConn.clientId, b).length).toBe(1);
  });

  it('reopens the room when another option changes, the old one closing first', async () => {
    const hostConn = await shared('host4');
    const room = `react-same-${++rooms}`;
    let setMax!: (n: number) => void;
    function Host() {
      const [maxPlayers, set] = useState(2);
      setMax = set;
      const host = useHostRoom({ room, maxPlayers });
      return <p data-testid="max">{host ? String(maxPlayers) : 'none'}</p>;
    }
    render(
      <Mode>
        <CoplayProvider connection={hostConn}>
          <Host />
        </CoplayProvider>
      </Mode>,
    );
    await waitFor(() => expect(text('max')).toBe('2'));
    act(() => setMax(3));
    await waitFor(() => expect(text('max')).toBe('3'));
    // Presence: opened, cleared by the old room's close, then the new room's (retained) presence last.
    await waitFor(() => expect(hostPresence(hostConn.clientId, room).length).toBe(3));
    const last = hostPresence(hostConn.clientId, room).at(-1)!;
    expect(JSON.parse(last.payload!.toString())).toMatchObject({ maxPlayers: 3 });
  });

  it('useGuestRoom joins after mounting, useValue renders its status, and it leaves on unmount', async () => {
    const room = `react-guest-${++rooms}`;
    const host = hostRoom(await shared('host3'), { room });
    const guestConn = await shared('guest3');
    function Guest() {
      const guest = useGuestRoom({ room, name: 'bo', browserEvents: false });
      const status = useValue(guest, 'status', { status: 'joining' as const });
      return <p data-testid="guest">{status.status === 'playing' ? `slot ${status.slot}` : status.status}</p>;
    }
    const view = render(
      <Mode>
        <CoplayProvider connection={guestConn}>
          <Guest />
        </CoplayProvider>
      </Mode>,
    );
    await waitFor(() => expect(text('guest')).toBe('slot 2'), { timeout: 10_000 });
    // One guest session despite StrictMode's remount: one presence, one SUBSCRIBE, one session id
    // (the core re-sends its join when it sees the host's presence; same session).
    const ups = broker.events.filter((e) => e.type === 'publish' && e.topic === `coplay/${room}/ctl/up/${guestConn.clientId}`);
    const sessions = new Set(ups.map((e) => JSON.parse(e.payload!.toString()).session));
    expect(sessions.size).toBe(1);
    expect(broker.count('publish', { clientId: guestConn.clientId, topic: `coplay/${room}/presence/${guestConn.clientId}` })).toBe(1);
    expect(broker.count('subscribe', { clientId: guestConn.clientId, filters: [`coplay/${room}/ctl/down/${guestConn.clientId}`] })).toBe(1);
    expect(host.players.map((p) => `${p.name}:${p.status}`)).toEqual(['bo:playing']);

    view.unmount();
    await waitFor(() => expect(host.players.map((p) => p.status)).toEqual(['left']));
    await host.close();
  });
});
