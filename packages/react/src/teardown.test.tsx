import { createConnection, hostRoom, joinRoom } from '@coplay/core';
import { farewell, waitForGuestStatus } from '@coplay/testkit';
import { useBrokerFixture } from '@coplay/testkit/vitest';
import { cleanup, render, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { inProvider, modes } from './testing';
import { useGuestRoom } from './useGuestRoom';
import { useHostRoom } from './useHostRoom';

const fx = useBrokerFixture({ createConnection, unmount: cleanup });
let rooms = 0;
// Long enough that only an explicit goodbye can move a player to `left` during the test.
const patient = { silenceMs: 600_000, releaseMs: 600_000 };

describe.each(modes)('unmounting a provider that owns its connection (%s)', (_mode, Mode) => {
  it('guest: leave and cleared presence reach the broker before the disconnect; the host sees `left`', async () => {
    const room = `react-bye-guest-${++rooms}`;
    const host = hostRoom(await fx.connect('host'), { room, ...patient });
    fx.defer(() => host.close());
    const options = fx.options('guest');
    function Guest() {
      useGuestRoom({ room, name: 'gus', browserEvents: false });
      return null;
    }
    const view = render(inProvider(Mode, { options }, <Guest />));
    await waitFor(() => expect(host.players.map((p) => p.status)).toEqual(['playing']), { timeout: 10_000 });
    view.unmount();
    await fx.broker.waitFor({ type: 'disconnect', clientId: options.clientId! }, 5000);
    expect(farewell(fx.broker.events, options.clientId!)).toEqual([
      'leave',
      `cleared coplay/${room}/presence/${options.clientId}`,
      'disconnect',
    ]);
    await waitFor(() => expect(host.players.map((p) => p.status)).toEqual(['left']));
  });

  it('host: `closed` to every guest and cleared retained topics reach the broker before the disconnect', async () => {
    const room = `react-bye-host-${++rooms}`;
    const options = fx.options('host');
    function Host() {
      useHostRoom({ room, ...patient });
      return null;
    }
    const view = render(inProvider(Mode, { options }, <Host />));
    const guest = joinRoom(await fx.connect('guest'), { room, name: 'gia', browserEvents: false });
    fx.defer(() => guest.leave());
    await waitForGuestStatus(guest, 'playing');
    view.unmount();
    await fx.broker.waitFor({ type: 'disconnect', clientId: options.clientId! }, 5000);
    expect(farewell(fx.broker.events, options.clientId!)).toEqual([
      'closed',
      `cleared coplay/${room}/host`,
      `cleared coplay/${room}/state`,
      'disconnect',
    ]);
    await waitForGuestStatus(guest, 'closed');
  });
});
