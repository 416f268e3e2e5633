import { freePort, startBroker } from '@coplay/testkit';
import { VirtualTimeScheduler } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createConnection } from './createConnection';
import { advance, waitForStateWhere } from './testing';
import type { Connection, ConnectionOptions, ConnectionState } from './types';

// Sockets are real (connections to a closed port fail for real); every timer coplay owns runs on
// virtual time, so delays are exact and nothing sleeps.

const conns: Connection[] = [];
afterEach(async () => {
  await Promise.all(conns.splice(0).map((c) => c.close()));
});

async function deadUrl(): Promise<string> {
  return `mqtt://127.0.0.1:${await freePort()}`;
}

function setup(url: string, extra: Partial<ConnectionOptions> = {}) {
  const scheduler = new VirtualTimeScheduler();
  const { reconnect, ...rest } = extra;
  const conn = createConnection({
    url,
    clientId: 'backoff',
    scheduler,
    ...rest,
    reconnect: { initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2, jitter: 0, ...reconnect },
  });
  conns.push(conn);
  return { scheduler, conn };
}

const isRetry = (n: number) => (s: ConnectionState) => s.status === 'reconnecting' && s.attempt === n;

/** Drives `count` failed attempts and returns the announced delays. */
async function collectDelays(scheduler: VirtualTimeScheduler, conn: Connection, count: number): Promise<number[]> {
  const delays: number[] = [];
  advance(scheduler, 0);
  for (let n = 2; n <= count + 1; n++) {
    const s = (await waitForStateWhere(conn, isRetry(n))) as Extract<ConnectionState, { status: 'reconnecting' }>;
    delays.push(s.delayMs);
    // Nothing happens before the delay is over...
    advance(scheduler, s.delayMs - 1);
    expect(conn.state.value).toBe(s);
    // ...and the next attempt starts exactly when it is.
    advance(scheduler, 1);
    expect(conn.state.value.status).toBe('connecting');
  }
  return delays;
}

describe('reconnect backoff under virtual time', () => {
  it('grows exponentially and is capped', async () => {
    const { scheduler, conn } = setup(await deadUrl());
    expect(await collectDelays(scheduler, conn, 7)).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
  });

  it('full jitter draws each delay from [0, capped delay], raised to the 50 ms floor', async () => {
    const draws = [0.5, 0, 0.999, 0.25];
    let i = 0;
    const { scheduler, conn } = setup(await deadUrl(), { random: () => draws[i++ % draws.length]!, reconnect: { jitter: 1 } });
    expect(await collectDelays(scheduler, conn, 4)).toEqual([50, 200, 50, 600]);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const { scheduler, conn } = setup(await deadUrl(), { reconnect: { maxAttempts: 3 } });
    const queued = conn.publish('a', 'x', { qos: 1 }).then(
      () => 'sent',
      (e: { code: string }) => e.code,
    );
    advance(scheduler, 0);
    await waitForStateWhere(conn, isRetry(2));
    advance(scheduler, 100);
    await waitForStateWhere(conn, isRetry(3));
    advance(scheduler, 200);
    const closed = await waitForStateWhere(conn, (s) => s.status === 'closed');
    expect(closed).toMatchObject({ status: 'closed', error: { code: 'CONNECT_FAILED' } });
    await expect(queued).resolves.toBe('CLOSED');
  });

  it('resets the backoff after a link that stayed up for resetAfterMs, not before', async () => {
    const broker = await startBroker();
    try {
      const { scheduler, conn } = setup(broker.url, { reconnect: { resetAfterMs: 5000 } });
      advance(scheduler, 0);
      await waitForStateWhere(conn, (s) => s.status === 'connected');

      // Flapping: the link drops before resetAfterMs, so delays keep growing.
      await broker.stop();
      // A dropped live link is not a failed attempt: the retry is attempt 1 again.
      const first = await waitForStateWhere(conn, isRetry(1));
      expect(first).toMatchObject({ delayMs: 100 });
      advance(scheduler, 100);
      const second = await waitForStateWhere(conn, isRetry(2));
      expect(second).toMatchObject({ delayMs: 200 });
      await broker.restart();
      advance(scheduler, 200);
      await waitForStateWhere(conn, (s) => s.status === 'connected');
      await broker.stop();
      const third = await waitForStateWhere(conn, (s) => s.status === 'reconnecting');
      expect(third).toMatchObject({ delayMs: 400 });

      // Stable: up for resetAfterMs, then the next outage starts again from the initial delay.
      await broker.restart();
      advance(scheduler, 400);
      await waitForStateWhere(conn, (s) => s.status === 'connected');
      advance(scheduler, 5000);
      await broker.stop();
      const afterStable = await waitForStateWhere(conn, (s) => s.status === 'reconnecting');
      expect(afterStable).toMatchObject({ delayMs: 100 });
    } finally {
      await broker.close();
    }
  });
});
