import { textCodec, type Connection, type CoplayError, type Message } from '@coplay/core';
import { startBroker, type EmbeddedBroker } from '@coplay/testkit';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CoplayProvider } from './CoplayProvider';
import { connectedConnection, modes, subscribeSeen, unsubscribeSeen } from './testing';
import { useTopic } from './useTopic';
import { useTopicListener } from './useTopicListener';

let broker: EmbeddedBroker;
let pub: Connection;
const toClose: Connection[] = [];

beforeAll(async () => {
  broker = await startBroker({ ws: true });
  pub = await connectedConnection(broker, 'publisher');
});
afterEach(async () => {
  cleanup();
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

describe.each(modes)('useTopicListener in %s', (_mode, Mode) => {
  it('sees every message of a 1,000-message burst, complete and in order', async () => {
    const conn = await shared('burst');
    const received: string[] = [];
    let renders = 0;
    function Listener() {
      renders++;
      useTopicListener('burst/t', (text) => received.push(text), { codec: textCodec });
      // The latest-value form next to it may merge a burst into fewer renders; the listener must not.
      const last = useTopic('burst/t', { codec: textCodec });
      return <p data-testid="last">{last ?? 'none'}</p>;
    }
    const view = render(
      <Mode>
        <CoplayProvider connection={conn}>
          <Listener />
        </CoplayProvider>
      </Mode>,
    );
    await subscribeSeen(broker, conn.clientId, 'burst/t');
    const sent = Array.from({ length: 1000 }, (_, i) => `m${i}`);
    await Promise.all(sent.map((m) => pub.publish('burst/t', m)));
    await waitFor(() => expect(received.length).toBe(1000), { timeout: 10_000 });
    expect(received).toEqual(sent);
    await waitFor(() => expect(screen.getByTestId('last').textContent).toBe('m999'));
    // Listener and latest-value form share the one MQTT subscription.
    expect(broker.count('subscribe', { clientId: conn.clientId })).toBe(1);
    expect(renders).toBeLessThan(2000);

    view.unmount();
    await unsubscribeSeen(broker, conn.clientId, 'burst/t');
    expect(broker.count('unsubscribe', { clientId: conn.clientId })).toBe(1);
  });

  it('calls the latest callback without subscribing again, and reports undecodable messages', async () => {
    const conn = await shared('latest');
    const calls: string[] = [];
    const drops: CoplayError[] = [];
    let setTag!: (t: string) => void;
    function Listener() {
      const [tag, set] = useState('a');
      setTag = set;
      useTopicListener(
        'chat/#',
        (text: string, message: Message) => calls.push(`${tag}:${message.topic}:${text}`),
        { codec: textCodec, onDrop: (e) => drops.push(e) },
      );
      return <p data-testid="tag">{tag}</p>;
    }
    render(
      <Mode>
        <CoplayProvider connection={conn}>
          <Listener />
        </CoplayProvider>
      </Mode>,
    );
    await subscribeSeen(broker, conn.clientId, 'chat/#');
    await pub.publish('chat/x', 'one');
    await waitFor(() => expect(calls).toEqual(['a:chat/x:one']));
    setTag('b');
    await waitFor(() => expect(screen.getByTestId('tag').textContent).toBe('b'));
    await pub.publish('chat/y', new Uint8Array([0xff]));
    await pub.publish('chat/y', 'two');
    await waitFor(() => expect(calls).toEqual(['a:chat/x:one', 'b:chat/y:two']));
    expect(drops.map((e) => e.code)).toEqual(['DECODE_FAILED']);
    expect(broker.count('subscribe', { clientId: conn.clientId })).toBe(1);
  });
});
