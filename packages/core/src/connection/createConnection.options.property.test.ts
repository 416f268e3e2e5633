import { freePort, startBroker, type EmbeddedBroker } from '@coplay/testkit';
import fc from 'fast-check';
import { VirtualTimeScheduler } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCoplayError } from '../errors/CoplayError';
import { MIN_RECONNECT_DELAY_MS } from './backoffDelay';
import { createConnection } from './createConnection';
import { advance, waitForState, waitForStateWhere } from './testing';
import type { Connection, ConnectionOptions, ConnectionState } from './types';

// Random option objects — right and wrong types, floors, ceilings, NaN, null — either throw a
// CoplayError synchronously or give a connection that works: no TypeError, no NaN delay, and no more
// CONNECT attempts than the 50 ms delay floor allows. Run counts are kept small: each run opens sockets.

const junk = fc.oneof(
  fc.constant(null),
  fc.constant(Number.NaN),
  fc.constant(-1),
  fc.constant(Infinity),
  fc.constant('abc'),
  fc.constant({}),
  fc.constant([]),
  fc.constant(true),
);
/** A value for a numeric option: usually sensible, sometimes at or past a bound, sometimes junk. */
const num = (min: number, max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: fc.integer({ min, max }) },
    { weight: 1, arbitrary: fc.constantFrom(min - 1, max + 1, 0, 2 ** 31, 2 ** 53) },
    { weight: 1, arbitrary: fc.double({ noNaN: false }) },
    { weight: 1, arbitrary: junk },
  );
const optional = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: a }, { weight: 1, arbitrary: junk });

const optionsArb = fc.record(
  {
    clientId: optional(fc.stringMatching(/^[a-z0-9_-]{0,20}$/)),
    protocolVersion: fc.oneof(fc.constant(undefined), fc.constantFrom(3, 4, 5), junk),
    keepalive: num(0, 120),
    clean: optional(fc.boolean()),
    unsubscribeGraceMs: num(0, 1000),
    closeTimeoutMs: num(0, 2000),
    autoConnect: fc.constant(false),
    reconnect: optional(
      fc.record(
        {
          initialDelayMs: num(0, 300),
          maxDelayMs: num(0, 1000),
          multiplier: num(1, 4),
          jitter: fc.oneof(fc.constant(undefined), fc.double({ min: 0, max: 1, noNaN: true }), junk),
          maxAttempts: num(1, 20),
          resetAfterMs: num(0, 10_000),
          connectTimeoutMs: num(100, 5000),
          earlyMaxDelayMs: num(0, 1000),
          earlyPhaseMs: num(0, 20_000),
        },
        { requiredKeys: [] },
      ),
    ),
    queue: optional(
      fc.record(
        {
          maxMessages: num(0, 100),
          maxBytes: num(0, 10_000),
          ttlMs: fc.oneof(num(0, 10_000), fc.constant(Infinity)),
          overflow: fc.oneof(fc.constant(undefined), fc.constantFrom('drop-oldest', 'drop-newest', 'error', 'explode'), junk),
        },
        { requiredKeys: [] },
      ),
    ),
    will: optional(fc.record({ topic: fc.constantFrom('w/t', 'w/#', ''), payload: fc.constantFrom('bye', 42 as unknown as string) })),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<Partial<ConnectionOptions>>;

/** Creates the connection, or returns the synchronous error; anything but a CoplayError fails the property. */
function tryCreate(options: ConnectionOptions): Connection | undefined {
  try {
    return createConnection(options);
  } catch (e) {
    if (!isCoplayError(e)) throw new Error(`not a CoplayError: ${String(e)}`, { cause: e });
    return undefined;
  }
}

/** Options createConnection accepts (each tried once and closed), for the properties about working connections. */
const acceptedArb = optionsArb.filter((opts) => {
  const c = tryCreate({ url: 'mqtt://127.0.0.1:1', ...opts });
  void c?.close();
  return c !== undefined;
});

let broker: EmbeddedBroker;
beforeAll(async () => {
  broker = await startBroker();
});
afterAll(async () => {
  await broker.close();
});

describe('createConnection with random options', () => {
  it('throws a CoplayError synchronously or returns a connection — never anything else', () => {
    fc.assert(
      fc.property(optionsArb, (opts) => {
        const conn = tryCreate({ url: 'mqtt://127.0.0.1:1', ...opts });
        void conn?.close();
      }),
      { numRuns: 400 },
    );
  });

  it('publish() with any arguments returns a promise that settles with a boolean or a CoplayError — it never throws', async () => {
    const conn = createConnection({ url: 'mqtt://127.0.0.1:1', autoConnect: false, queue: { maxMessages: 5 } });
    const outcomes: Array<Promise<boolean>> = [];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.constantFrom('a/b', 'a/+', '', '#'), fc.anything()),
        fc.oneof(fc.string(), fc.uint8Array(), fc.anything()),
        fc.oneof(
          fc.constant(undefined),
          fc.record({ qos: fc.oneof(fc.constantFrom(0, 1, 2), fc.anything()), whenOffline: fc.constantFrom('queue', 'drop', 'fail', 'x'), ttlMs: fc.oneof(fc.nat(), fc.double(), fc.anything()) }, { requiredKeys: [] }),
          fc.anything(),
        ),
        async (topic, payload, options) => {
          let p: Promise<boolean> | undefined;
          expect(() => (p = conn.publish(topic as string, payload as string, options as never))).not.toThrow();
          expect(p).toBeInstanceOf(Promise);
          // Queued ones settle at close() below.
          outcomes.push(
            p!.then(
              (v) => typeof v === 'boolean',
              (e: unknown) => isCoplayError(e),
            ),
          );
        },
      ),
      { numRuns: 300 },
    );
    await conn.close();
    expect((await Promise.all(outcomes)).every(Boolean)).toBe(true);
  });

  it('an accepted set of options never retries faster than the 50 ms floor and never announces a NaN delay', async () => {
    const url = `mqtt://127.0.0.1:${await freePort()}`;
    await fc.assert(
      fc.asyncProperty(acceptedArb, async (opts) => {
        const scheduler = new VirtualTimeScheduler();
        const conn = tryCreate({ url, ...opts, scheduler });
        if (!conn) return;
        const states: ConnectionState[] = [];
        conn.state.value$.subscribe((s) => states.push(s));
        conn.connect();
        advance(scheduler, 0);
        const horizonMs = 1000;
        while (scheduler.frame < horizonMs) {
          const s = await waitForStateWhere(conn, (x) => x.status === 'reconnecting' || x.status === 'closed');
          if (s.status !== 'reconnecting') break;
          expect(Number.isFinite(s.delayMs) && s.delayMs >= MIN_RECONNECT_DELAY_MS).toBe(true);
          advance(scheduler, s.delayMs);
        }
        const attempts = states.filter((s) => s.status === 'connecting').length;
        expect(attempts).toBeLessThanOrEqual(Math.floor(scheduler.frame / MIN_RECONNECT_DELAY_MS) + 1);
        await conn.close();
      }),
      { numRuns: 25 },
    );
  });

  it('an accepted set of options gives a connection that delivers a QoS 1 round trip', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(acceptedArb, async (opts) => {
        const clientId = typeof opts.clientId === 'string' && opts.clientId !== '' ? `${opts.clientId}-${++n}` : `prop-${++n}`;
        // The profile turns what Aedes cannot do (MQTT 5) into a synchronous PROTOCOL_NOT_SUPPORTED.
        const conn = tryCreate({ url: broker.url, broker: 'aedes', ...opts, clientId });
        if (!conn) return;
        try {
          const got: string[] = [];
          conn.topic(`prop/${n}`, { qos: 1 }).subscribe((m) => got.push(new TextDecoder().decode(m.payload)));
          conn.connect();
          await waitForState(conn, 'connected', 3000);
          await broker.waitFor({ type: 'subscribe', clientId: clientId, filters: [`prop/${n}`] });
          await expect(conn.publish(`prop/${n}`, 'ping', { qos: 1 })).resolves.toBe(true);
          await expect.poll(() => got).toEqual(['ping']);
        } finally {
          await conn.close();
        }
      }),
      { numRuns: 15 },
    );
  });
});
