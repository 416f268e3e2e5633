import { createConnection, hostRoom, joinRoom } from '@coplay/core';
import { farewell, waitForGuestStatus } from '@coplay/testkit';
import { useBrokerFixture } from '@coplay/testkit/vitest';
import { mount } from '@vue/test-utils';
import { defineComponent, h, type Component } from 'vue';
import { describe, expect, it, vi } from 'vitest';
import type { CoplaySource } from './CoplaySource';
import { provideCoplay } from './provideCoplay';
import { useGuestRoom } from './useGuestRoom';
import { useHostRoom } from './useHostRoom';

const fx = useBrokerFixture({ createConnection });
let rooms = 0;
// Long enough that only an explicit goodbye can move a player to `left` during the test.
const patient = { silenceMs: 600_000, releaseMs: 600_000 };

// CoplayPlugin's teardown order is in the parity table (parity.test.ts); this is provideCoplay's.
const owners: Array<[string, (source: CoplaySource, child: Component) => ReturnType<typeof mount>]> = [
  [
    'provideCoplay',
    (source, child) =>
      mount(
        defineComponent(() => {
          provideCoplay(source);
          return () => h(child);
        }),
      ),
  ],
];

describe.each(owners)('unmounting an app whose %s owns the connection', (_name, mountWith) => {
  it('guest: leave and cleared presence reach the broker before the disconnect; the host sees `left`', async () => {
    const room = `vue-bye-guest-${++rooms}`;
    const host = hostRoom(await fx.connect('host'), { room, secure: false, ...patient });
    fx.defer(() => host.close());
    const options = fx.options('guest');
    const Guest = defineComponent(() => {
      useGuestRoom({ room, secure: false, name: 'gus', browserEvents: false });
      return () => null;
    });
    const wrapper = mountWith({ options }, Guest);
    await vi.waitFor(() => expect(host.players.value.map((p) => p.status)).toEqual(['playing']), { timeout: 10_000 });
    wrapper.unmount();
    await fx.broker.waitFor({ type: 'disconnect', clientId: options.clientId! }, 5000);
    expect(farewell(fx.broker.events, options.clientId!)).toEqual([
      'leave',
      `cleared cp/${room}/p/${options.clientId}`,
      'disconnect',
    ]);
    await vi.waitFor(() => expect(host.players.value.map((p) => p.status)).toEqual(['left']));
  });

  it('host: `closed` to every guest and cleared retained topics reach the broker before the disconnect', async () => {
    const room = `vue-bye-host-${++rooms}`;
    const options = fx.options('host');
    const Host = defineComponent(() => {
      useHostRoom({ room, secure: false, ...patient });
      return () => null;
    });
    const wrapper = mountWith({ options }, Host);
    const guest = joinRoom(await fx.connect('guest'), { room, secure: false, name: 'gia', browserEvents: false });
    fx.defer(() => guest.close());
    await waitForGuestStatus(guest, 'playing');
    wrapper.unmount();
    await fx.broker.waitFor({ type: 'disconnect', clientId: options.clientId! }, 5000);
    expect(farewell(fx.broker.events, options.clientId!)).toEqual([
      'closed',
      `cleared cp/${room}/h`,
      `cleared cp/${room}/s`,
      'disconnect',
    ]);
    await waitForGuestStatus(guest, 'closed');
  });
});
