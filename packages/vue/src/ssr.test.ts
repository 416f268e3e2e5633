// @vitest-environment node
import { textCodec } from '@coplay/core';
import { startBroker, type EmbeddedBroker } from '@coplay/testkit';
import { createSSRApp, defineComponent, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CoplayPlugin } from './CoplayPlugin';
import { provideCoplay } from './provideCoplay';
import { connectedConnection } from './testing';
import { useConnectionState } from './useConnectionState';
import { useQueueStats } from './useQueueStats';
import { useTopic } from './useTopic';
import { useTopicListener } from './useTopicListener';

let broker: EmbeddedBroker;

beforeAll(async () => {
  broker = await startBroker();
});
afterEach(() => broker.reset());
afterAll(() => broker.close());

const Page = defineComponent(() => {
  const state = useConnectionState();
  const chat = useTopic('room/chat', { codec: textCodec });
  const queue = useQueueStats();
  useTopicListener('room/#', () => {});
  return () => h('main', `${state.value.status}|${chat.value ?? 'none'}|${queue.value.depth}`);
});

/** Any connection the render started would reach the broker before a probe's full connect does. */
async function connectsSeen(): Promise<string[]> {
  const probe = await connectedConnection(broker, 'probe', { url: broker.url, mqttOptions: {} });
  await probe.close();
  return broker.events.filter((e) => e.type === 'connect' && e.clientId !== probe.clientId).map((e) => e.clientId);
}

describe('server rendering (Vue)', () => {
  it('CoplayPlugin with options: renders the idle state and opens no socket', async () => {
    const app = createSSRApp(Page).use(CoplayPlugin, { options: { url: broker.url, clientId: 'ssr-plugin' } });
    expect(await renderToString(app)).toBe('<main>idle|none|0</main>');
    expect(await connectsSeen()).toEqual([]);
  });

  it('provideCoplay with options: renders the idle state and opens no socket', async () => {
    const Root = defineComponent(() => {
      provideCoplay({ url: broker.url, clientId: 'ssr-provide' });
      return () => h(Page);
    });
    expect(await renderToString(createSSRApp(Root))).toBe('<main>idle|none|0</main>');
    expect(await connectsSeen()).toEqual([]);
  });
});
