import { createConnection, jsonCodec, textCodec } from '@coplay/core';
import { refuseSubscribe } from '@coplay/testkit';
import { useBrokerFixture } from '@coplay/testkit/vitest';
import { mount } from '@vue/test-utils';
import { defineComponent, h, isReadonly, nextTick, onErrorCaptured, ref, type ShallowRef } from 'vue';
import { describe, expect, it, vi } from 'vitest';
import { CoplayPlugin } from './CoplayPlugin';
import { inScope } from './testing';
import { useTopic } from './useTopic';

const fx = useBrokerFixture({ createConnection, publisher: true });

const Score = defineComponent({
  props: { filter: { type: String, default: 'game/score' } },
  setup(props) {
    const p1 = useTopic(() => props.filter, { codec: jsonCodec<{ p1: number }>(), select: (s) => s.p1 });
    return () => h('p', p1.value === undefined ? 'none' : `p1=${p1.value}`);
  },
});

describe('useTopic (Vue)', () => {
  it('renders the latest message, with ONE SUBSCRIBE, released on unmount', async () => {
    const conn = await fx.connect('topic');
    const wrapper = mount(
      defineComponent(() => () => [h(Score), h(Score)]),
      { global: { plugins: [[CoplayPlugin, { connection: conn }]] } },
    );
    expect(wrapper.text()).toBe('nonenone');
    await fx.broker.waitFor({ type: 'subscribe', clientId: conn.clientId, filters: ['game/score'] });
    await fx.publisher.publish('game/score', '{"p1":3}');
    await vi.waitFor(() => expect(wrapper.text()).toBe('p1=3p1=3'));
    await fx.publisher.publish('game/score', '{broken');
    await fx.publisher.publish('game/score', '{"p1":4}');
    await vi.waitFor(() => expect(wrapper.text()).toBe('p1=4p1=4'));
    expect(fx.broker.count('subscribe', { clientId: conn.clientId })).toBe(1);

    wrapper.unmount();
    await fx.broker.waitFor({ type: 'unsubscribe', clientId: conn.clientId, filters: ['game/score'] });
    expect(fx.broker.count('unsubscribe', { clientId: conn.clientId })).toBe(1);
  });

  it('returns a readonly shallow ref, and stopping its effect scope releases the subscription', async () => {
    const conn = await fx.connect('scope');
    const { result: chat, scope } = inScope(conn, () => useTopic('room/chat', { codec: textCodec }));
    expect(isReadonly(chat)).toBe(true);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    (chat as ShallowRef<string | undefined>).value = 'nope';
    expect(chat.value).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('readonly'), expect.anything());
    warn.mockRestore();

    await fx.broker.waitFor({ type: 'subscribe', clientId: conn.clientId, filters: ['room/chat'] });
    await fx.publisher.publish('room/chat', 'hello');
    await vi.waitFor(() => expect(chat.value).toBe('hello'));

    scope.stop();
    await fx.broker.waitFor({ type: 'unsubscribe', clientId: conn.clientId, filters: ['room/chat'] });
    await fx.publisher.publish('room/chat', 'after stop');
    await fx.publisher.publish('room/chat', 'after stop 2', { qos: 1 });
    expect(chat.value).toBe('hello');
    expect(fx.broker.count('subscribe', { clientId: conn.clientId })).toBe(1);
    expect(fx.broker.count('unsubscribe', { clientId: conn.clientId })).toBe(1);
  });

  it('follows a ref: UNSUBSCRIBE the old filter, SUBSCRIBE the new one, value reset', async () => {
    const conn = await fx.connect('ref');
    const room = ref('a');
    const { result: score, scope } = inScope(conn, () =>
      useTopic(() => `room/${room.value}/score`, { codec: jsonCodec<number>() }),
    );
    await fx.broker.waitFor({ type: 'subscribe', clientId: conn.clientId, filters: ['room/a/score'] });
    await fx.publisher.publish('room/a/score', '1');
    await vi.waitFor(() => expect(score.value).toBe(1));

    room.value = 'b';
    await nextTick();
    expect(score.value).toBeUndefined();
    await fx.broker.waitFor({ type: 'subscribe', clientId: conn.clientId, filters: ['room/b/score'] });
    await fx.broker.waitFor({ type: 'unsubscribe', clientId: conn.clientId, filters: ['room/a/score'] });
    await fx.publisher.publish('room/a/score', '5');
    await fx.publisher.publish('room/b/score', '2');
    await vi.waitFor(() => expect(score.value).toBe(2));
    expect(fx.broker.count('subscribe', { clientId: conn.clientId })).toBe(2);
    expect(fx.broker.count('unsubscribe', { clientId: conn.clientId })).toBe(1);

    scope.stop();
    await fx.broker.waitFor({ type: 'unsubscribe', clientId: conn.clientId, filters: ['room/b/score'] });
  });

  it('follows a prop in a component', async () => {
    const conn = await fx.connect('prop');
    const wrapper = mount(Score, { props: { filter: 'x/1' }, global: { plugins: [[CoplayPlugin, { connection: conn }]] } });
    await fx.broker.waitFor({ type: 'subscribe', clientId: conn.clientId, filters: ['x/1'] });
    await wrapper.setProps({ filter: 'x/2' });
    await fx.broker.waitFor({ type: 'subscribe', clientId: conn.clientId, filters: ['x/2'] });
    await fx.broker.waitFor({ type: 'unsubscribe', clientId: conn.clientId, filters: ['x/1'] });
    await fx.publisher.publish('x/2', '{"p1":8}');
    await vi.waitFor(() => expect(wrapper.text()).toBe('p1=8'));
    wrapper.unmount();
    await fx.broker.waitFor({ type: 'unsubscribe', clientId: conn.clientId, filters: ['x/2'] });
  });

  it('hands a refused subscription to Vue error handling (onErrorCaptured)', async () => {
    const conn = await fx.connect('refused');
    const restore = refuseSubscribe(fx.broker, 'secret');
    try {
      const captured: unknown[] = [];
      const Parent = defineComponent(() => {
        onErrorCaptured((e) => {
          captured.push(e);
          return false;
        });
        return () => h(Score, { filter: 'secret' });
      });
      mount(Parent, { global: { plugins: [[CoplayPlugin, { connection: conn }]] } });
      await vi.waitFor(() => expect(captured).toEqual([expect.objectContaining({ code: 'SUBSCRIBE_FAILED' })]));
    } finally {
      restore();
    }
  });
});
