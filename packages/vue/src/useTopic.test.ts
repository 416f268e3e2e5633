import { jsonCodec, textCodec, type Connection } from '@coplay/core';
import { startBroker, type EmbeddedBroker } from '@coplay/testkit';
import { mount } from '@vue/test-utils';
import { createApp, defineComponent, effectScope, h, isReadonly, nextTick, onErrorCaptured, ref, type ShallowRef } from 'vue';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CoplayPlugin } from './CoplayPlugin';
import { connectedConnection, eventually, subscribeSeen, unsubscribeSeen } from './testing';
import { useTopic } from './useTopic';

let broker: EmbeddedBroker;
let pub: Connection;
const toClose: Connection[] = [];

beforeAll(async () => {
  broker = await startBroker({ ws: true });
  pub = await connectedConnection(broker, 'publisher');
});
afterEach(async () => {
  await Promise.all(toClose.splice(0).map((c) => c.close()));
  broker.reset();
});
afterAll(async () => {
  await pub.close();
  await broker.close();
});

async function shared(name: string): Promise<Connection> {
  const conn = await connectedConnection(broker, name);
  toClose.push(conn);
  return conn;
}

/** Runs `fn` in a detached effect scope of an app that provides `conn`. */
function inScope<T>(conn: Connection, fn: () => T) {
  const app = createApp({}).use(CoplayPlugin, { connection: conn });
  const scope = effectScope(true);
  const result = app.runWithContext(() => scope.run(fn)!);
  return { result, scope };
}

const Score = defineComponent({
  props: { filter: { type: String, default: 'game/score' } },
  setup(props) {
    const p1 = useTopic(() => props.filter, { codec: jsonCodec<{ p1: number }>(), select: (s) => s.p1 });
    return () => h('p', p1.value === undefined ? 'none' : `p1=${p1.value}`);
  },
});

describe('useTopic (Vue)', () => {
  it('renders the latest message, with ONE SUBSCRIBE, released on unmount', async () => {
    const conn = await shared('topic');
    const wrapper = mount(
      defineComponent(() => () => [h(Score), h(Score)]),
      { global: { plugins: [[CoplayPlugin, { connection: conn }]] } },
    );
    expect(wrapper.text()).toBe('nonenone');
    await subscribeSeen(broker, conn.clientId, 'game/score');
    await pub.publish('game/score', '{"p1":3}');
    await eventually(() => expect(wrapper.text()).toBe('p1=3p1=3'));
    await pub.publish('game/score', '{broken');
    await pub.publish('game/score', '{"p1":4}');
    await eventually(() => expect(wrapper.text()).toBe('p1=4p1=4'));
    expect(broker.count('subscribe', { clientId: conn.clientId })).toBe(1);

    wrapper.unmount();
    await unsubscribeSeen(broker, conn.clientId, 'game/score');
    expect(broker.count('unsubscribe', { clientId: conn.clientId })).toBe(1);
  });

  it('returns a readonly shallow ref, and stopping its effect scope releases the subscription', async () => {
    const conn = await shared('scope');
    const { result: chat, scope } = inScope(conn, () => useTopic('room/chat', { codec: textCodec }));
    expect(isReadonly(chat)).toBe(true);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    (chat as ShallowRef<string | undefined>).value = 'nope';
    expect(chat.value).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('readonly'), expect.anything());
    warn.mockRestore();

    await subscribeSeen(broker, conn.clientId, 'room/chat');
    await pub.publish('room/chat', 'hello');
    await eventually(() => expect(chat.value).toBe('hello'));

    scope.stop();
    await unsubscribeSeen(broker, conn.clientId, 'room/chat');
    await pub.publish('room/chat', 'after stop');
    await pub.publish('room/chat', 'after stop 2', { qos: 1 });
    expect(chat.value).toBe('hello');
    expect(broker.count('subscribe', { clientId: conn.clientId })).toBe(1);
    expect(broker.count('unsubscribe', { clientId: conn.clientId })).toBe(1);
  });

  it('follows a ref: UNSUBSCRIBE the old filter, SUBSCRIBE the new one, value reset', async () => {
    const conn = await shared('ref');
    const room = ref('a');
    const { result: score, scope } = inScope(conn, () =>
      useTopic(() => `room/${room.value}/score`, { codec: jsonCodec<number>() }),
    );
    await subscribeSeen(broker, conn.clientId, 'room/a/score');
    await pub.publish('room/a/score', '1');
    await eventually(() => expect(score.value).toBe(1));

    room.value = 'b';
    await nextTick();
    expect(score.value).toBeUndefined();
    await subscribeSeen(broker, conn.clientId, 'room/b/score');
    await unsubscribeSeen(broker, conn.clientId, 'room/a/score');
    await pub.publish('room/a/score', '5');
    await pub.publish('room/b/score', '2');
    await eventually(() => expect(score.value).toBe(2));
    expect(broker.count('subscribe', { clientId: conn.clientId })).toBe(2);
    expect(broker.count('unsubscribe', { clientId: conn.clientId })).toBe(1);

    scope.stop();
    await unsubscribeSeen(broker, conn.clientId, 'room/b/score');
  });

  it('follows a prop in a component', async () => {
    const conn = await shared('prop');
    const wrapper = mount(Score, { props: { filter: 'x/1' }, global: { plugins: [[CoplayPlugin, { connection: conn }]] } });
    await subscribeSeen(broker, conn.clientId, 'x/1');
    await wrapper.setProps({ filter: 'x/2' });
    await subscribeSeen(broker, conn.clientId, 'x/2');
    await unsubscribeSeen(broker, conn.clientId, 'x/1');
    await pub.publish('x/2', '{"p1":8}');
    await eventually(() => expect(wrapper.text()).toBe('p1=8'));
    wrapper.unmount();
    await unsubscribeSeen(broker, conn.clientId, 'x/2');
  });

  it('hands a refused subscription to Vue error handling (onErrorCaptured)', async () => {
    const conn = await shared('refused');
    const aedes = broker.aedes as unknown as {
      authorizeSubscribe: (client: unknown, sub: { topic: string }, cb: (err: Error | null, sub: unknown) => void) => void;
    };
    const original = aedes.authorizeSubscribe;
    aedes.authorizeSubscribe = (client, sub, cb) => (sub.topic === 'secret' ? cb(null, null) : original.call(aedes, client, sub, cb));
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
      await eventually(() => expect(captured).toEqual([expect.objectContaining({ code: 'SUBSCRIBE_FAILED' })]));
    } finally {
      aedes.authorizeSubscribe = original;
    }
  });
});
