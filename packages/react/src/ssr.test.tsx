// @vitest-environment node
import { startBroker, type EmbeddedBroker } from '@coplay/testkit';
import { textCodec } from '@coplay/core';
import { renderToString } from 'react-dom/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CoplayProvider } from './CoplayProvider';
import { connectedConnection, modes } from './testing';
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

function Page() {
  const state = useConnectionState();
  const chat = useTopic('room/chat', { codec: textCodec });
  const queue = useQueueStats();
  useTopicListener('room/#', () => {});
  return <main>{`${state.status}|${chat ?? 'none'}|${queue.depth}`}</main>;
}

describe.each(modes)('server rendering in %s', (mode, Mode) => {
  it('renders the idle state and opens no socket, even with options pointing at a live broker', async () => {
    // Node environment: MQTT.js would happily open a TCP socket to broker.url if asked to.
    const html = renderToString(
      <Mode>
        <CoplayProvider options={{ url: broker.url, clientId: `ssr-owned-${mode}` }}>
          <Page />
        </CoplayProvider>
      </Mode>,
    );
    expect(html).toBe('<main>idle|none|0</main>');
    // A probe's full connect gives any connection the render started time to reach the broker first.
    const probe = await connectedConnection(broker, 'probe', { url: broker.url, mqttOptions: {} });
    await probe.close();
    expect(broker.events.filter((e) => e.type === 'connect').map((e) => e.clientId)).toEqual([probe.clientId]);
  });
});
