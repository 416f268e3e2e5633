import { createConnection, jsonCodec, type Connection } from '@coplay/core';
import { startBroker, type EmbeddedBroker } from '@coplay/testkit';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CoplayProvider } from './CoplayProvider';
import { brokerOptions, modes } from './testing';
import { usePublish } from './usePublish';
import { useQueueStats } from './useQueueStats';

let broker: EmbeddedBroker;
const toClose: Connection[] = [];

beforeAll(async () => {
  broker = await startBroker({ ws: true });
});
afterEach(async () => {
  cleanup();
  await Promise.all(toClose.splice(0).map((c) => c.close()));
  broker.reset();
});
afterAll(() => broker.close());

describe.each(modes)('usePublish and useQueueStats in %s', (_mode, Mode) => {
  it('queues while offline (rendered queue depth), then the broker receives the encoded message', async () => {
    // Not connected yet: the publish waits in the offline queue.
    const conn = createConnection(brokerOptions(broker, 'queued', { autoConnect: false }));
    toClose.push(conn);
    let publish!: (topic: string, value: { p1: number }) => Promise<boolean>;
    const codec = jsonCodec<{ p1: number }>();
    function Sender() {
      publish = usePublish(codec);
      const stats = useQueueStats();
      return <p data-testid="queue">{`depth=${stats.depth} flushed=${stats.flushed}`}</p>;
    }
    render(
      <Mode>
        <CoplayProvider connection={conn}>
          <Sender />
        </CoplayProvider>
      </Mode>,
    );
    expect(screen.getByTestId('queue').textContent).toBe('depth=0 flushed=0');
    let sent!: Promise<boolean>;
    act(() => {
      sent = publish('game/score', { p1: 7 });
    });
    expect(screen.getByTestId('queue').textContent).toBe('depth=1 flushed=0');

    act(() => conn.connect());
    await expect(sent).resolves.toBe(true);
    const event = await broker.waitFor({ type: 'publish', clientId: conn.clientId, topic: 'game/score' });
    expect(JSON.parse(event.payload!.toString())).toEqual({ p1: 7 });
    await waitFor(() => expect(screen.getByTestId('queue').textContent).toBe('depth=0 flushed=1'));
    expect(broker.count('publish', { clientId: conn.clientId })).toBe(1);
  });

  it('surfaces bad input as a typed error, not a send', () => {
    const conn = createConnection(brokerOptions(broker, 'bad', { autoConnect: false }));
    toClose.push(conn);
    let publish!: ReturnType<typeof usePublish<unknown>>;
    function Sender() {
      publish = usePublish(jsonCodec<unknown>());
      return null;
    }
    render(
      <Mode>
        <CoplayProvider connection={conn}>
          <Sender />
        </CoplayProvider>
      </Mode>,
    );
    expect(() => publish('game/score', 1n)).toThrow(expect.objectContaining({ code: 'INVALID_PAYLOAD' }));
    expect(() => publish('game/+', 1)).toThrow(expect.objectContaining({ code: 'INVALID_TOPIC' }));
    expect(conn.queueStats.depth).toBe(0);
  });
});

describe.each(modes)('CoplayProvider with options and usePublish in %s', (_mode, Mode) => {
  it('sends through the owned connection once it is up', async () => {
    const options = brokerOptions(broker, 'owned-pub');
    let publish!: ReturnType<typeof usePublish>;
    function Sender() {
      publish = usePublish();
      return null;
    }
    const view = render(
      <Mode>
        <CoplayProvider options={options}>
          <Sender />
        </CoplayProvider>
      </Mode>,
    );
    await expect(publish('hello', 'world', { qos: 1 })).resolves.toBe(true);
    const event = await broker.waitFor({ type: 'publish', clientId: options.clientId!, topic: 'hello' });
    expect(event.payload!.toString()).toBe('world');
    expect(broker.count('connect', { clientId: options.clientId! })).toBe(1);
    view.unmount();
    await broker.waitFor({ type: 'disconnect', clientId: options.clientId! }, 5000);
  });
});
