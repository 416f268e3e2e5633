import { createConnection, jsonCodec, textCodec } from '@coplay/core';
import { refuseSubscribe } from '@coplay/testkit';
import { useBrokerFixture } from '@coplay/testkit/vitest';
import { cleanup, render, waitFor } from '@testing-library/react';
import { Component, type ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { inProvider, modes, text } from './testing';
import { useTopic } from './useTopic';

const fx = useBrokerFixture({ createConnection, publisher: true, unmount: cleanup });

function Score({ filter = 'game/score', id = 'score' }: { filter?: string; id?: string }) {
  const p1 = useTopic(filter, { codec: jsonCodec<{ p1: number }>(), select: (s) => s.p1 });
  return <p data-testid={id}>{p1 === undefined ? 'none' : `p1=${p1}`}</p>;
}

describe.each(modes)('useTopic in %s', (_mode, Mode) => {
  it('renders the latest message; ONE SUBSCRIBE; UNSUBSCRIBE after unmount', async () => {
    const conn = await fx.connect('topic');
    const view = render(inProvider(Mode, { connection: conn }, <Score />));
    expect(text('score')).toBe('none');
    await fx.broker.waitFor({ type: 'subscribe', clientId: conn.clientId, filters: ['game/score'] });
    await fx.publisher.publish('game/score', '{"p1":3}');
    await waitFor(() => expect(text('score')).toBe('p1=3'));
    await fx.publisher.publish('game/score', '{"p1":4}');
    await waitFor(() => expect(text('score')).toBe('p1=4'));
    expect(fx.broker.count('subscribe', { clientId: conn.clientId })).toBe(1);
    expect(fx.broker.count('unsubscribe', { clientId: conn.clientId })).toBe(0);

    view.unmount();
    await fx.broker.waitFor({ type: 'unsubscribe', clientId: conn.clientId, filters: ['game/score'] });
    expect(fx.broker.count('subscribe', { clientId: conn.clientId })).toBe(1);
    expect(fx.broker.count('unsubscribe', { clientId: conn.clientId })).toBe(1);
  });

  it('shares one SUBSCRIBE between components reading the same filter', async () => {
    const conn = await fx.connect('topic2');
    render(
      inProvider(
        Mode,
        { connection: conn },
        <>
          <Score id="a" />
          <Score id="b" />
        </>,
      ),
    );
    await fx.broker.waitFor({ type: 'subscribe', clientId: conn.clientId, filters: ['game/score'] });
    await fx.publisher.publish('game/score', '{"p1":9}');
    await waitFor(() => expect([text('a'), text('b')]).toEqual(['p1=9', 'p1=9']));
    expect(fx.broker.count('subscribe', { clientId: conn.clientId })).toBe(1);
  });

  it('skips a message the codec cannot read and keeps the last good value', async () => {
    const conn = await fx.connect('topic3');
    render(inProvider(Mode, { connection: conn }, <Score />));
    await fx.broker.waitFor({ type: 'subscribe', clientId: conn.clientId, filters: ['game/score'] });
    await fx.publisher.publish('game/score', '{"p1":1}');
    await waitFor(() => expect(text('score')).toBe('p1=1'));
    await fx.publisher.publish('game/score', '{broken');
    await fx.publisher.publish('game/score', '{"p1":2}');
    await waitFor(() => expect(text('score')).toBe('p1=2'));
  });

  it('moves to a new filter: UNSUBSCRIBE the old one, SUBSCRIBE the new one, value reset', async () => {
    const conn = await fx.connect('topic4');
    const ui = (filter: string) => (inProvider(Mode, { connection: conn }, <Score filter={filter} />));
    const view = render(ui('room/a/score'));
    await fx.broker.waitFor({ type: 'subscribe', clientId: conn.clientId, filters: ['room/a/score'] });
    await fx.publisher.publish('room/a/score', '{"p1":1}');
    await waitFor(() => expect(text('score')).toBe('p1=1'));

    view.rerender(ui('room/b/score'));
    expect(text('score')).toBe('none');
    await fx.broker.waitFor({ type: 'subscribe', clientId: conn.clientId, filters: ['room/b/score'] });
    await fx.broker.waitFor({ type: 'unsubscribe', clientId: conn.clientId, filters: ['room/a/score'] });
    await fx.publisher.publish('room/a/score', '{"p1":5}');
    await fx.publisher.publish('room/b/score', '{"p1":2}');
    await waitFor(() => expect(text('score')).toBe('p1=2'));
    expect(fx.broker.count('subscribe', { clientId: conn.clientId })).toBe(2);
    expect(fx.broker.count('unsubscribe', { clientId: conn.clientId })).toBe(1);
  });

  it('with an owned connection: ONE connection, ONE SUBSCRIBE, and a clean close on unmount', async () => {
    const options = fx.options('owned-topic');
    const id = options.clientId!;
    function Chat() {
      const last = useTopic('room/chat', { codec: textCodec });
      return <p data-testid="chat">{last ?? 'none'}</p>;
    }
    const view = render(inProvider(Mode, { options }, <Chat />));
    await fx.broker.waitFor({ type: 'subscribe', clientId: id, filters: ['room/chat'] });
    await fx.publisher.publish('room/chat', 'hello');
    await waitFor(() => expect(text('chat')).toBe('hello'));
    expect(fx.broker.count('connect', { clientId: id })).toBe(1);
    expect(fx.broker.count('subscribe', { clientId: id })).toBe(1);

    view.unmount();
    const bye = await fx.broker.waitFor({ type: 'disconnect', clientId: id }, 5000);
    expect(bye.clean).toBe(true);
    expect(fx.broker.count('connect', { clientId: id })).toBe(1);
    expect(fx.broker.count('subscribe', { clientId: id })).toBe(1);
  });

  it('uses the latest inline select without subscribing again', async () => {
    const conn = await fx.connect('topic5');
    function Scaled({ factor }: { factor: number }) {
      const v = useTopic('scaled', { codec: jsonCodec<number>(), select: (n) => n * factor });
      return <p data-testid="scaled">{String(v)}</p>;
    }
    const ui = (factor: number) => (inProvider(Mode, { connection: conn }, <Scaled factor={factor} />));
    const view = render(ui(2));
    await fx.broker.waitFor({ type: 'subscribe', clientId: conn.clientId, filters: ['scaled'] });
    await fx.publisher.publish('scaled', '5');
    await waitFor(() => expect(text('scaled')).toBe('10'));
    view.rerender(ui(3));
    await fx.publisher.publish('scaled', '5');
    await waitFor(() => expect(text('scaled')).toBe('15'));
    expect(fx.broker.count('subscribe', { clientId: conn.clientId })).toBe(1);
  });

  it('throws a refused subscription (SUBSCRIBE_FAILED) to the nearest error boundary', async () => {
    const conn = await fx.connect('refused');
    const restore = refuseSubscribe(fx.broker, 'secret');
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
        inProvider(
          Mode,
          { connection: conn },
          <Boundary>
            <Score filter="secret" />
          </Boundary>,
        ),
      );
      await waitFor(() => expect(text('score')).toBe('error SUBSCRIBE_FAILED'));
    } finally {
      restore();
      quiet.mockRestore();
    }
  });
});
