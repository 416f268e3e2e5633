import { jsonCodec, textCodec, type Connection } from '@coplay/core';
import { startBroker, type EmbeddedBroker } from '@coplay/testkit';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { Component, type ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CoplayProvider } from './CoplayProvider';
import { brokerOptions, connectedConnection, modes, subscribeSeen, unsubscribeSeen } from './testing';
import { useTopic } from './useTopic';

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

const text = (id: string) => screen.getByTestId(id).textContent;

function Score({ filter = 'game/score', id = 'score' }: { filter?: string; id?: string }) {
  const p1 = useTopic(filter, { codec: jsonCodec<{ p1: number }>(), select: (s) => s.p1 });
  return <p data-testid={id}>{p1 === undefined ? 'none' : `p1=${p1}`}</p>;
}

describe.each(modes)('useTopic in %s', (_mode, Mode) => {
  it('renders the latest message; ONE SUBSCRIBE; UNSUBSCRIBE after unmount', async () => {
    const conn = await shared('topic');
    const view = render(
      <Mode>
        <CoplayProvider connection={conn}>
          <Score />
        </CoplayProvider>
      </Mode>,
    );
    expect(text('score')).toBe('none');
    await subscribeSeen(broker, conn.clientId, 'game/score');
    await pub.publish('game/score', '{"p1":3}');
    await waitFor(() => expect(text('score')).toBe('p1=3'));
    await pub.publish('game/score', '{"p1":4}');
    await waitFor(() => expect(text('score')).toBe('p1=4'));
    expect(broker.count('subscribe', { clientId: conn.clientId })).toBe(1);
    expect(broker.count('unsubscribe', { clientId: conn.clientId })).toBe(0);

    view.unmount();
    await unsubscribeSeen(broker, conn.clientId, 'game/score');
    expect(broker.count('subscribe', { clientId: conn.clientId })).toBe(1);
    expect(broker.count('unsubscribe', { clientId: conn.clientId })).toBe(1);
  });

  it('shares one SUBSCRIBE between components reading the same filter', async () => {
    const conn = await shared('topic2');
    render(
      <Mode>
        <CoplayProvider connection={conn}>
          <Score id="a" />
          <Score id="b" />
        </CoplayProvider>
      </Mode>,
    );
    await subscribeSeen(broker, conn.clientId, 'game/score');
    await pub.publish('game/score', '{"p1":9}');
    await waitFor(() => expect([text('a'), text('b')]).toEqual(['p1=9', 'p1=9']));
    expect(broker.count('subscribe', { clientId: conn.clientId })).toBe(1);
  });

  it('skips a message the codec cannot read and keeps the last good value', async () => {
    const conn = await shared('topic3');
    render(
      <Mode>
        <CoplayProvider connection={conn}>
          <Score />
        </CoplayProvider>
      </Mode>,
    );
    await subscribeSeen(broker, conn.clientId, 'game/score');
    await pub.publish('game/score', '{"p1":1}');
    await waitFor(() => expect(text('score')).toBe('p1=1'));
    await pub.publish('game/score', '{broken');
    await pub.publish('game/score', '{"p1":2}');
    await waitFor(() => expect(text('score')).toBe('p1=2'));
  });

  it('moves to a new filter: UNSUBSCRIBE the old one, SUBSCRIBE the new one, value reset', async () => {
    const conn = await shared('topic4');
    const ui = (filter: string) => (
      <Mode>
        <CoplayProvider connection={conn}>
          <Score filter={filter} />
        </CoplayProvider>
      </Mode>
    );
    const view = render(ui('room/a/score'));
    await subscribeSeen(broker, conn.clientId, 'room/a/score');
    await pub.publish('room/a/score', '{"p1":1}');
    await waitFor(() => expect(text('score')).toBe('p1=1'));

    view.rerender(ui('room/b/score'));
    expect(text('score')).toBe('none');
    await subscribeSeen(broker, conn.clientId, 'room/b/score');
    await unsubscribeSeen(broker, conn.clientId, 'room/a/score');
    await pub.publish('room/a/score', '{"p1":5}');
    await pub.publish('room/b/score', '{"p1":2}');
    await waitFor(() => expect(text('score')).toBe('p1=2'));
    expect(broker.count('subscribe', { clientId: conn.clientId })).toBe(2);
    expect(broker.count('unsubscribe', { clientId: conn.clientId })).toBe(1);
  });

  it('with an owned connection: ONE connection, ONE SUBSCRIBE, and a clean close on unmount', async () => {
    const options = brokerOptions(broker, 'owned-topic');
    const id = options.clientId!;
    function Chat() {
      const last = useTopic('room/chat', { codec: textCodec });
      return <p data-testid="chat">{last ?? 'none'}</p>;
    }
    const view = render(
      <Mode>
        <CoplayProvider options={options}>
          <Chat />
        </CoplayProvider>
      </Mode>,
    );
    await subscribeSeen(broker, id, 'room/chat');
    await pub.publish('room/chat', 'hello');
    await waitFor(() => expect(text('chat')).toBe('hello'));
    expect(broker.count('connect', { clientId: id })).toBe(1);
    expect(broker.count('subscribe', { clientId: id })).toBe(1);

    view.unmount();
    const bye = await broker.waitFor({ type: 'disconnect', clientId: id }, 5000);
    expect(bye.clean).toBe(true);
    expect(broker.count('connect', { clientId: id })).toBe(1);
    expect(broker.count('subscribe', { clientId: id })).toBe(1);
  });

  it('uses the latest inline select without subscribing again', async () => {
    const conn = await shared('topic5');
    function Scaled({ factor }: { factor: number }) {
      const v = useTopic('scaled', { codec: jsonCodec<number>(), select: (n) => n * factor });
      return <p data-testid="scaled">{String(v)}</p>;
    }
    const ui = (factor: number) => (
      <Mode>
        <CoplayProvider connection={conn}>
          <Scaled factor={factor} />
        </CoplayProvider>
      </Mode>
    );
    const view = render(ui(2));
    await subscribeSeen(broker, conn.clientId, 'scaled');
    await pub.publish('scaled', '5');
    await waitFor(() => expect(text('scaled')).toBe('10'));
    view.rerender(ui(3));
    await pub.publish('scaled', '5');
    await waitFor(() => expect(text('scaled')).toBe('15'));
    expect(broker.count('subscribe', { clientId: conn.clientId })).toBe(1);
  });

  it('throws a refused subscription (SUBSCRIBE_FAILED) to the nearest error boundary', async () => {
    const conn = await shared('refused');
    const aedes = broker.aedes as unknown as {
      authorizeSubscribe: (client: unknown, sub: { topic: string }, cb: (err: Error | null, sub: unknown) => void) => void;
    };
    const original = aedes.authorizeSubscribe;
    aedes.authorizeSubscribe = (client, sub, cb) => (sub.topic === 'secret' ? cb(null, null) : original.call(aedes, client, sub, cb));
    // React logs errors caught by boundaries.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      class Boundary extends Component<{ children: ReactNode }, { error?: unknown }> {
        override state: { error?: unknown } = {};
        static getDerivedStateFromError(error: unknown) {
          return { error };
        }
        override render() {
          const e = this.state.error as { code?: string } | undefined;
          return e ? <p data-testid="score">{`error ${e.code}`}</p> : this.props.children;
        }
      }
      render(
        <Mode>
          <CoplayProvider connection={conn}>
            <Boundary>
              <Score filter="secret" />
            </Boundary>
          </CoplayProvider>
        </Mode>,
      );
      await waitFor(() => expect(text('score')).toBe('error SUBSCRIBE_FAILED'));
    } finally {
      aedes.authorizeSubscribe = original;
      quiet.mockRestore();
    }
  });
});
