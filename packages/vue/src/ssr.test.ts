// @vitest-environment node
import { createConnection, textCodec } from '@coplay/core';
import { useBrokerFixture } from '@coplay/testkit/vitest';
import { createSSRApp, defineComponent, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { describe, expect, it } from 'vitest';
import { CoplayPlugin } from './CoplayPlugin';
import { provideCoplay } from './provideCoplay';
import { useConnectionState } from './useConnectionState';
import { useQueueStats } from './useQueueStats';
import { useTopic } from './useTopic';
import { useTopicListener } from './useTopicListener';

// TCP only, as on a server.
const fx = useBrokerFixture({ createConnection, ws: false });

const Page = defineComponent(() => {
  const state = useConnectionState();
  const chat = useTopic('room/chat', { codec: textCodec });
  const queue = useQueueStats();
  useTopicListener('room/#', () => {});
  return () => h('main', `${state.value.status}|${chat.value ?? 'none'}|${queue.value.depth}`);
});

/** Any connection the render started would reach the broker before a probe's full connect does. */
async function connectsSeen(): Promise<string[]> {
  const probe = await fx.connect('probe', { url: fx.broker.url, mqttOptions: {} });
  await probe.close();
  return fx.broker.events.filter((e) => e.type === 'connect' && e.clientId !== probe.clientId).map((e) => e.clientId);
}

describe('server rendering (Vue)', () => {
  it('CoplayPlugin with options: renders the idle state and opens no socket', async () => {
    const app = createSSRApp(Page).use(CoplayPlugin, { options: { url: fx.broker.url, clientId: 'ssr-plugin' } });
    expect(await renderToString(app)).toBe('<main>idle|none|0</main>');
    expect(await connectsSeen()).toEqual([]);
  });

  it('provideCoplay with options: renders the idle state and opens no socket', async () => {
    const Root = defineComponent(() => {
      provideCoplay({ options: { url: fx.broker.url, clientId: 'ssr-provide' } });
      return () => h(Page);
    });
    expect(await renderToString(createSSRApp(Root))).toBe('<main>idle|none|0</main>');
    expect(await connectsSeen()).toEqual([]);
  });
});
