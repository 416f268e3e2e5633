import { createConnection, textCodec, type CoplayError, type Message } from '@coplay/core';

import { useBrokerFixture } from '@coplay/testkit/vitest';
import { cleanup, render, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { inProvider, modes, text } from './testing';
import { useTopic } from './useTopic';
import { useTopicListener } from './useTopicListener';

const fx = useBrokerFixture({ createConnection, publisher: true, unmount: cleanup });

describe.each(modes)('useTopicListener in %s', (_mode, Mode) => {
  it('sees every message of a 1,000-message burst, complete and in order', async () => {
    const conn = await fx.connect('burst');
    const received: string[] = [];
    let renders = 0;
    function Listener() {
      renders++;
      useTopicListener('burst/t', (text) => received.push(text), { codec: textCodec });
      // The latest-value form next to it may merge a burst into fewer renders; the listener must not.
      const last = useTopic('burst/t', { codec: textCodec });
      return <p data-testid="last">{last ?? 'none'}</p>;
    }
    const view = render(inProvider(Mode, { connection: conn }, <Listener />));
    await fx.broker.waitFor({ type: 'subscribe', clientId: conn.clientId, filters: ['burst/t'] });
    const sent = Array.from({ length: 1000 }, (_, i) => `m${i}`);
    await Promise.all(sent.map((m) => fx.publisher.publish('burst/t', m)));
    await waitFor(() => expect(received.length).toBe(1000), { timeout: 10_000 });
    expect(received).toEqual(sent);
    await waitFor(() => expect(text('last')).toBe('m999'));
    // Listener and latest-value form share the one MQTT subscription.
    expect(fx.broker.count('subscribe', { clientId: conn.clientId })).toBe(1);
    expect(renders).toBeLessThan(2000);

    view.unmount();
    await fx.broker.waitFor({ type: 'unsubscribe', clientId: conn.clientId, filters: ['burst/t'] });
    expect(fx.broker.count('unsubscribe', { clientId: conn.clientId })).toBe(1);
  });

  it('calls the latest callback without subscribing again, and reports undecodable messages', async () => {
    const conn = await fx.connect('latest');
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
    render(inProvider(Mode, { connection: conn }, <Listener />));
    await fx.broker.waitFor({ type: 'subscribe', clientId: conn.clientId, filters: ['chat/#'] });
    await fx.publisher.publish('chat/x', 'one');
    await waitFor(() => expect(calls).toEqual(['a:chat/x:one']));
    setTag('b');
    await waitFor(() => expect(text('tag')).toBe('b'));
    await fx.publisher.publish('chat/y', new Uint8Array([0xff]));
    await fx.publisher.publish('chat/y', 'two');
    await waitFor(() => expect(calls).toEqual(['a:chat/x:one', 'b:chat/y:two']));
    expect(drops.map((e) => e.code)).toEqual(['DECODE_FAILED']);
    expect(fx.broker.count('subscribe', { clientId: conn.clientId })).toBe(1);
  });
});
