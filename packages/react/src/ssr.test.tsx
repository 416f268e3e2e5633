// @vitest-environment node
import { useBrokerFixture } from '@coplay/testkit/vitest';
import { createConnection, textCodec } from '@coplay/core';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { inProvider, modes } from './testing';
import { useConnectionState } from './useConnectionState';
import { useQueueStats } from './useQueueStats';
import { useTopic } from './useTopic';
import { useTopicListener } from './useTopicListener';

// No WebSocket listener: in Node, MQTT.js would use TCP.
const fx = useBrokerFixture({ createConnection, ws: false });

function Page() {
  const state = useConnectionState();
  const chat = useTopic('room/chat', { codec: textCodec });
  const queue = useQueueStats();
  useTopicListener('room/#', () => {});
  return <main>{`${state.status}|${chat ?? 'none'}|${queue.depth}`}</main>;
}

describe.each(modes)('server rendering in %s', (mode, Mode) => {
  it('renders the idle state and opens no socket, even with options pointing at a live broker', async () => {
    // Node environment: MQTT.js would happily open a TCP socket to fx.broker.url if asked to.
    const html = renderToString(inProvider(Mode, { options: { url: fx.broker.url, clientId: `ssr-owned-${mode}` } }, <Page />));
    expect(html).toBe('<main>idle|none|0</main>');
    // A probe's full connect gives any connection the render started time to reach the broker first.
    const probe = await fx.connect('probe', { url: fx.broker.url, mqttOptions: {} });
    await probe.close();
    expect(fx.broker.events.filter((e) => e.type === 'connect').map((e) => e.clientId)).toEqual([probe.clientId]);
  });
});
