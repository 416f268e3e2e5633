import { waitForGuestStatus } from '@coplay/testkit';
import { expect, it } from 'vitest';
import { hostRoom } from '../../room/hostRoom';
import { joinRoom } from '../../room/joinRoom';
import type { ConnectionOptions, Connection } from '../types';
import { waitForState } from '../testing';

/** Opens a connection on the suite's broker for a device id (credentials included where the broker needs them). */
export type OpenConnection = (deviceId: string, extra?: Partial<ConnectionOptions>) => Connection;

/** Ids for one room: the room and the two devices. */
export interface RoomIds {
  readonly room: string;
  readonly host: string;
  readonly guest: string;
}

/**
 * One room end to end on a real broker: the guest joins by invite, its input reaches the host, the host's
 * broadcast reaches the guest, and leaving frees the slot. Used by every broker's suite (rooms v2 topics
 * must fit each broker's profile, or hostRoom/joinRoom throw before anything is sent).
 */
export async function roomRoundTrip(open: OpenConnection, ids: RoomIds): Promise<{ hostConn: Connection; guestConn: Connection }> {
  const hostConn = open(ids.host);
  const guestConn = open(ids.guest);
  await waitForState(hostConn, 'connected');
  await waitForState(guestConn, 'connected');
  const host = hostRoom<{ round: number }>(hostConn, { room: ids.room });
  try {
    const guest = joinRoom<{ round: number }>(guestConn, { invite: await host.invite, browserEvents: false });
    await waitForGuestStatus(guest, 'playing', 30_000);
    expect(guest.hostTrust.value).toBe('verified');
    // Frames are QoS 0 too; the guest's keyframes repeat the state, and so do we until it is seen.
    await expect
      .poll(() => (guest.send({ buttons: 0b101, axes: [0.5, 0, 0, -1], triggers: [0, 1] }), host.input(2).value.buttons), { timeout: 20_000, interval: 100 })
      .toBe(0b101);
    expect(host.input(2).value.axes[0]).toBeCloseTo(0.5, 2);
    // Broadcasts are QoS 0 (the latest state wins) and may be lost: send until one is seen.
    await expect
      .poll(async () => (await host.broadcast({ round: 7 }), guest.hostState.value), { timeout: 20_000, interval: 100 })
      .toEqual({ round: 7 });
    const player = host.players.value.find((p) => p.slot === 2);
    expect(player?.clientId).toBe(guestConn.clientId);
    await guest.close();
    await expect.poll(() => host.players.value.find((p) => p.slot === 2)?.status, { timeout: 10_000 }).toBe('left');
    expect(host.stats.value.forged).toBe(0);
    expect(host.status.value.status).toBe('open');
  } finally {
    await host.close();
  }
  return { hostConn, guestConn };
}

/** The room part of the cross-broker suite. */
export function roomSuite(open: () => OpenConnection, device: (name: string) => string): void {
  it('a room works end to end: join by invite, input to the host, broadcast to the guest, leave', async () => {
    await roomRoundTrip(open(), { room: device('room'), host: device('host'), guest: device('guest') });
  });
}
