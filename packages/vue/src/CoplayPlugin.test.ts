import { createConnection, type Connection } from '@coplay/core';
import { useBrokerFixture } from '@coplay/testkit/vitest';
import { mount } from '@vue/test-utils';
import { createApp, defineComponent, h } from 'vue';
import { describe, expect, it, vi } from 'vitest';
import { CoplayPlugin } from './CoplayPlugin';
import { provideCoplay } from './provideCoplay';
import { useConnection } from './useConnection';
import { useConnectionState } from './useConnectionState';
import { usePublish } from './usePublish';

const fx = useBrokerFixture({ createConnection });

const Status = defineComponent(() => {
  const state = useConnectionState();
  return () => h('p', state.value.status);
});

describe('CoplayPlugin', () => {
  it('only provides: app.mount stays Vue\'s own', () => {
    const app = createApp({ render: () => null });
    const own = Object.getOwnPropertyDescriptor(app, 'mount');
    app.use(CoplayPlugin, { options: fx.options('untouched') });
    expect(Object.getOwnPropertyDescriptor(app, 'mount')).toEqual(own);
  });

  it('with options: one connection, made after mount; state renders; closed when the app unmounts', async () => {
    const options = fx.options('plugin-owned', { reconnect: { initialDelayMs: 20, maxDelayMs: 50 } });
    const id = options.clientId!;
    const wrapper = mount(Status, { global: { plugins: [[CoplayPlugin, { options }]] } });
    await vi.waitFor(() => expect(wrapper.text()).toBe('connected'));
    await fx.connect('probe');
    expect(fx.broker.count('connect', { clientId: id })).toBe(1);

    // State changes render.
    await fx.broker.stop();
    await vi.waitFor(() => expect(['reconnecting', 'connecting']).toContain(wrapper.text()));
    await fx.broker.restart();
    await vi.waitFor(() => expect(wrapper.text()).toBe('connected'));
    fx.broker.reset(); // forget the outage's unclean disconnect

    wrapper.unmount();
    const bye = await fx.broker.waitFor({ type: 'disconnect', clientId: id }, 5000);
    expect(bye.clean).toBe(true);
  });

  it('with a connection: shares it and leaves it open when the app unmounts', async () => {
    const conn = await fx.connect('plugin-shared');
    let seen: Connection | undefined;
    const Grab = defineComponent(() => {
      seen = useConnection();
      return () => h(Status);
    });
    const wrapper = mount(Grab, { global: { plugins: [[CoplayPlugin, { connection: conn }]] } });
    expect(seen).toBe(conn);
    expect(wrapper.text()).toBe('connected');
    wrapper.unmount();
    await conn.publish('after/unmount', 'x', { qos: 1 });
    expect(fx.broker.count('disconnect', { clientId: conn.clientId })).toBe(0);
  });

  it('usePublish publishes on the provided connection', async () => {
    const conn = await fx.connect('plugin-pub');
    let publish!: ReturnType<typeof usePublish>;
    mount(
      defineComponent(() => {
        publish = usePublish();
        return () => null;
      }),
      { global: { plugins: [[CoplayPlugin, { connection: conn }]] } },
    );
    await expect(publish('game/score', 'p1:3', { qos: 1 })).resolves.toBe(true);
    const event = await fx.broker.waitFor({ type: 'publish', clientId: conn.clientId, topic: 'game/score' });
    expect(event.payload!.toString()).toBe('p1:3');
  });

  it('useConnection without a provider throws NO_CONNECTION', () => {
    const warn = console.warn;
    console.warn = () => {};
    try {
      expect(() => mount(Status)).toThrow(expect.objectContaining({ code: 'NO_CONNECTION' }));
    } finally {
      console.warn = warn;
    }
  });
});

describe('provideCoplay', () => {
  it('with options: connects once mounted and closes when the providing component unmounts', async () => {
    const options = fx.options('provide-owned');
    const id = options.clientId!;
    const Root = defineComponent(() => {
      provideCoplay({ options });
      return () => h(Status);
    });
    const wrapper = mount(Root);
    await vi.waitFor(() => expect(wrapper.text()).toBe('connected'));
    expect(fx.broker.count('connect', { clientId: id })).toBe(1);
    wrapper.unmount();
    const bye = await fx.broker.waitFor({ type: 'disconnect', clientId: id }, 5000);
    expect(bye.clean).toBe(true);
  });

  it('with a connection: provides it and leaves it open', async () => {
    const conn = await fx.connect('provide-shared');
    const Root = defineComponent(() => {
      expect(provideCoplay({ connection: conn })).toBe(conn);
      return () => h(Status);
    });
    const wrapper = mount(Root);
    expect(wrapper.text()).toBe('connected');
    wrapper.unmount();
    await conn.publish('still/open', 'x', { qos: 1 });
    expect(conn.state.value.status).toBe('connected');
  });
});
