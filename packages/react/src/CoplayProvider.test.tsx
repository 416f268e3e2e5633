import { createConnection, type Connection } from '@coplay/core';
import { useBrokerFixture } from '@coplay/testkit/vitest';
import { act, cleanup, render, waitFor } from '@testing-library/react';
import { Activity } from 'react';
import { describe, expect, it } from 'vitest';
import { CoplayProvider } from './CoplayProvider';
import { inProvider, modes, text } from './testing';
import { useConnection } from './useConnection';
import { useConnectionState } from './useConnectionState';
import { usePublish } from './usePublish';

const fx = useBrokerFixture({ createConnection, unmount: cleanup });

function Status() {
  return <p data-testid="status">{useConnectionState().status}</p>;
}

describe.each(modes)('CoplayProvider in %s', (_mode, Mode) => {
  it('with options: opens exactly ONE connection, renders its states, and closes it on unmount', async () => {
    const options = fx.options('owned');
    const id = options.clientId!;
    const view = render(inProvider(Mode, { options }, <Status />));
    await waitFor(() => expect(text('status')).toBe('connected'));
    // A probe connecting afterwards gives a second connection made at mount time the time to show up.
    await fx.connect('probe');
    expect(fx.broker.count('connect', { clientId: id })).toBe(1);
    expect(fx.broker.count('connect')).toBe(2);
    expect(fx.broker.count('disconnect', { clientId: id })).toBe(0);

    view.unmount();
    const gone = await fx.broker.waitFor({ type: 'disconnect', clientId: id }, 5000);
    expect(gone.clean).toBe(true);
    expect(fx.broker.count('connect', { clientId: id })).toBe(1);
  });

  it('with options: hidden by <Activity> long enough to close, then shown again, it connects anew', async () => {
    const options = fx.options('activity');
    const id = options.clientId!;
    const ui = (mode: 'visible' | 'hidden') => (
      <Mode>
        <Activity mode={mode}>
          <CoplayProvider options={options}>
            <Status />
          </CoplayProvider>
        </Activity>
      </Mode>
    );
    const view = render(ui('visible'));
    await waitFor(() => expect(text('status')).toBe('connected'));
    // Hidden: effects are cleaned up, so the owned connection closes (its state is kept).
    view.rerender(ui('hidden'));
    await fx.broker.waitFor({ type: 'disconnect', clientId: id }, 5000);
    view.rerender(ui('visible'));
    await waitFor(() => expect(text('status')).toBe('connected'));
    expect(fx.broker.count('connect', { clientId: id })).toBe(2);
    view.unmount();
    await waitFor(() => expect(fx.broker.count('disconnect', { clientId: id })).toBe(2));
  });

  it('renders connection state changes: connected → reconnecting → connected', async () => {
    render(inProvider(Mode, { options: fx.options('states', { reconnect: { initialDelayMs: 20, maxDelayMs: 50 } }) }, <Status />));
    const status = () => text('status');
    await waitFor(() => expect(status()).toBe('connected'));
    await act(() => fx.broker.stop());
    await waitFor(() => expect(['reconnecting', 'connecting']).toContain(status()));
    await act(() => fx.broker.restart());
    await waitFor(() => expect(status()).toBe('connected'), { timeout: 5000 });
  });

  it('with a connection: shares it and leaves it open on unmount', async () => {
    const conn = await fx.connect('shared');
    let seen: Connection | undefined;
    function Grab() {
      seen = useConnection();
      return <Status />;
    }
    const view = render(inProvider(Mode, { connection: conn }, <Grab />));
    expect(seen).toBe(conn);
    expect(text('status')).toBe('connected');
    view.unmount();
    // Prove the link is still usable after unmount: the broker receives a publish from it.
    await conn.publish('after/unmount', 'x', { qos: 1 });
    expect(fx.broker.count('publish', { clientId: conn.clientId, topic: 'after/unmount' })).toBe(1);
    expect(fx.broker.count('disconnect', { clientId: conn.clientId })).toBe(0);
    expect(conn.state.value.status).toBe('connected');
  });

  it('usePublish publishes on the provider connection', async () => {
    const options = fx.options('pub');
    const id = options.clientId!;
    let publish!: ReturnType<typeof usePublish>;
    function Publisher() {
      publish = usePublish();
      return <Status />;
    }
    render(inProvider(Mode, { options }, <Publisher />));
    await waitFor(() => expect(text('status')).toBe('connected'));
    await expect(publish('game/score', 'p1:3', { qos: 1 })).resolves.toBe(true);
    const event = await fx.broker.waitFor({ type: 'publish', clientId: id, topic: 'game/score' });
    expect(event.payload!.toString()).toBe('p1:3');
    expect(fx.broker.count('connect')).toBe(1);
  });

  it('useConnection outside a provider throws NO_CONNECTION', () => {
    function Orphan() {
      useConnection();
      return null;
    }
    // React logs the error it rethrows; keep the test output readable.
    const error = console.error;
    console.error = () => {};
    try {
      expect(() => render(<Mode><Orphan /></Mode>)).toThrow(expect.objectContaining({ code: 'NO_CONNECTION' }));
    } finally {
      console.error = error;
    }
  });
});

describe.each(modes)('CoplayProvider options in %s', (_mode, Mode) => {
  it('reports bad options as a typed error while rendering', () => {
    const error = console.error;
    console.error = () => {};
    try {
      expect(() => render(<Mode><CoplayProvider options={{ url: 'http://nope' }} /></Mode>)).toThrow(
        expect.objectContaining({ code: 'INVALID_URL' }),
      );
    } finally {
      console.error = error;
    }
  });
});
