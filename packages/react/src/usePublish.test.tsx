import { createConnection, jsonCodec } from '@coplay/core';
import { useBrokerFixture } from '@coplay/testkit/vitest';
import { act, cleanup, render, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { inProvider, modes, text } from './testing';
import { usePublish } from './usePublish';
import { useQueueStats } from './useQueueStats';

const fx = useBrokerFixture({ createConnection, unmount: cleanup });

describe.each(modes)('usePublish and useQueueStats in %s', (_mode, Mode) => {
  it('queues while offline (rendered queue depth), then the broker receives the encoded message', async () => {
    // Not connected yet: the publish waits in the offline queue.
    const conn = fx.track(createConnection(fx.options('queued', { autoConnect: false })));
    let publish!: (topic: string, value: { p1: number }) => Promise<boolean>;
    const codec = jsonCodec<{ p1: number }>();
    function Sender() {
      publish = usePublish(codec);
      const stats = useQueueStats();
      return <p data-testid="queue">{`depth=${stats.depth} flushed=${stats.flushed}`}</p>;
    }
    render(inProvider(Mode, { connection: conn }, <Sender />));
    expect(text('queue')).toBe('depth=0 flushed=0');
    let sent!: Promise<boolean>;
    act(() => {
      sent = publish('game/score', { p1: 7 });
    });
    expect(text('queue')).toBe('depth=1 flushed=0');

    act(() => conn.connect());
    await expect(sent).resolves.toBe(true);
    const event = await fx.broker.waitFor({ type: 'publish', clientId: conn.clientId, topic: 'game/score' });
    expect(JSON.parse(event.payload!.toString())).toEqual({ p1: 7 });
    await waitFor(() => expect(text('queue')).toBe('depth=0 flushed=1'));
    expect(fx.broker.count('publish', { clientId: conn.clientId })).toBe(1);
  });

  it('surfaces bad input as a typed error (a rejected promise), not a send', async () => {
    const conn = fx.track(createConnection(fx.options('bad', { autoConnect: false })));
    let publish!: ReturnType<typeof usePublish<unknown>>;
    function Sender() {
      publish = usePublish(jsonCodec<unknown>());
      return null;
    }
    render(inProvider(Mode, { connection: conn }, <Sender />));
    await expect(publish('game/score', 1n)).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
    await expect(publish('game/+', 1)).rejects.toMatchObject({ code: 'INVALID_TOPIC' });
    expect(conn.queue.value.depth).toBe(0);
  });
});

describe.each(modes)('CoplayProvider with options and usePublish in %s', (_mode, Mode) => {
  it('sends through the owned connection once it is up', async () => {
    const options = fx.options('owned-pub');
    let publish!: ReturnType<typeof usePublish>;
    function Sender() {
      publish = usePublish();
      return null;
    }
    const view = render(inProvider(Mode, { options }, <Sender />));
    await expect(publish('hello', 'world', { qos: 1 })).resolves.toBe(true);
    const event = await fx.broker.waitFor({ type: 'publish', clientId: options.clientId!, topic: 'hello' });
    expect(event.payload!.toString()).toBe('world');
    expect(fx.broker.count('connect', { clientId: options.clientId! })).toBe(1);
    view.unmount();
    await fx.broker.waitFor({ type: 'disconnect', clientId: options.clientId! }, 5000);
  });
});
