import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CoplayError } from '../errors/CoplayError';
import { DEFAULT_RECONNECT, MIN_RECONNECT_DELAY_MS } from './backoffDelay';
import { INITIAL_POLICY_STATE, KICK_LOOP_COUNT, reconnectPolicy, type PolicyEffect, type PolicyEvent, type PolicyState } from './reconnectPolicy';

// The policy is a pure function: no sockets, no timers. Each test feeds events and reads effects.

const retry = { ...DEFAULT_RECONNECT, initialDelayMs: 100, maxDelayMs: 10_000, earlyMaxDelayMs: 1000, earlyPhaseMs: 5000, jitter: 0 };
const opts = { retry, servers: 1 };
const lost = new CoplayError('CONNECTION_LOST', 'gone');
const refused = new CoplayError('AUTH_REFUSED', 'no');
const down = (now: number, extra: Partial<Extract<PolicyEvent, { type: 'down' }>> = {}): PolicyEvent => ({
  type: 'down',
  reason: lost,
  upForMs: undefined,
  silent: false,
  kicked: false,
  now,
  random: 0,
  ...extra,
});

function run(events: PolicyEvent[], options = opts): { state: PolicyState; effects: PolicyEffect[][] } {
  let state = INITIAL_POLICY_STATE;
  const effects: PolicyEffect[][] = [];
  for (const e of events) {
    const r = reconnectPolicy(state, e, options);
    state = r.state;
    effects.push(r.effects);
  }
  return { state, effects };
}
const attemptOf = (effects: PolicyEffect[]) => effects.find((e): e is Extract<PolicyEffect, { type: 'attempt' }> => e.type === 'attempt');

describe('reconnectPolicy', () => {
  it('start attempts at once; failures back off exponentially, capped low early in an outage, higher later', () => {
    const events: PolicyEvent[] = [{ type: 'start' }];
    for (let t = 0; t <= 12_000; t += 1000) events.push(down(t));
    const { effects } = run(events);
    expect(attemptOf(effects[0]!)).toMatchObject({ delayMs: 0, attempt: 1 });
    const delays = effects.slice(1).map((e) => attemptOf(e)!.delayMs);
    // 100, 200, 400, 800, then the 1 s early cap until 5 s into the outage, then growth to maxDelayMs.
    expect(delays).toEqual([100, 200, 400, 800, 1000, 3200, 6400, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000]);
  });

  it('counts attempts up across an auth refusal (finding 8): the refresh is attempt 2, a second refusal gives up', () => {
    const { effects, state } = run([{ type: 'start' }, down(0, { reason: refused }), down(10, { reason: refused })]);
    expect(attemptOf(effects[1]!)).toMatchObject({ attempt: 2, refresh: true, delayMs: 0 });
    expect(effects[2]).toEqual([
      { type: 'state', state: { status: 'auth-failed', error: refused } },
      { type: 'give-up', error: refused },
    ]);
    expect(state.stopped).toBe(true);
    expect(reconnectPolicy(state, down(20), opts).effects).toEqual([]);
  });

  it('fails over to the next server at once and backs off per round', () => {
    const { effects } = run([{ type: 'start' }, down(0), down(1), down(2)], { retry, servers: 2 });
    expect(attemptOf(effects[1]!)).toMatchObject({ serverIndex: 1, delayMs: 0, attempt: 2 });
    expect(attemptOf(effects[2]!)).toMatchObject({ serverIndex: 0, delayMs: 100, attempt: 3 });
    expect(attemptOf(effects[3]!)).toMatchObject({ serverIndex: 1, delayMs: 0, attempt: 4 });
  });

  it('gives up after maxAttempts failed attempts with the last error', () => {
    const { effects } = run([{ type: 'start' }, down(0), down(1)], { retry: { ...retry, maxAttempts: 2 }, servers: 1 });
    expect(attemptOf(effects[1]!)).toBeDefined();
    expect(effects[2]).toContainEqual({ type: 'give-up', error: lost });
  });

  it('detects a kick loop: links closed silently right after CONNACK, several times in a row', () => {
    const events: PolicyEvent[] = [{ type: 'start' }];
    for (let i = 0; i < KICK_LOOP_COUNT; i++) events.push({ type: 'connected' }, down(i * 100, { upForMs: 10, silent: true }));
    const { effects } = run(events);
    expect(effects.at(-1)![0]).toMatchObject({ type: 'state', state: { status: 'kicked' } });
  });

  it('a refused attempt between short links resets the kick-loop count: a restarting broker is not a kick', () => {
    const events: PolicyEvent[] = [{ type: 'start' }];
    for (let i = 0; i < KICK_LOOP_COUNT * 2; i++) {
      events.push({ type: 'connected' }, down(i * 100, { upForMs: 10, silent: true }));
      if (i % 2 === 1) events.push(down(i * 100 + 50)); // the broker refused one attempt
    }
    const { state } = run(events);
    expect(state.stopped).toBe(false);
    const off = run(
      [{ type: 'start' }, ...Array.from({ length: 10 }, (_, i): PolicyEvent[] => [{ type: 'connected' }, down(i, { upForMs: 1, silent: true })]).flat()],
      { retry: { ...retry, kickLoopLinks: Infinity }, servers: 1 },
    );
    expect(off.state.stopped).toBe(false);
  });

  it('a stable link resets the backoff; CONNACK resets the attempt count', () => {
    const { effects } = run([{ type: 'start' }, down(0), down(100), { type: 'connected' }, { type: 'stable' }, down(60_000, { upForMs: 50_000 })]);
    expect(attemptOf(effects[5]!)).toMatchObject({ delayMs: 100, attempt: 1 });
  });

  it('never yields a delay below the floor or a NaN, whatever the options and draws', () => {
    fc.assert(
      fc.property(
        fc.record({
          initialDelayMs: fc.integer({ min: 50, max: 100_000 }),
          maxDelayMs: fc.integer({ min: 50, max: 100_000 }),
          earlyMaxDelayMs: fc.integer({ min: 50, max: 100_000 }),
          multiplier: fc.double({ min: 1, max: 10, noNaN: true }),
          jitter: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        fc.array(fc.tuple(fc.nat(100_000), fc.double({ noNaN: false })), { minLength: 1, maxLength: 30 }),
        (r, downs) => {
          let state = reconnectPolicy(INITIAL_POLICY_STATE, { type: 'start' }, { retry: { ...retry, ...r }, servers: 1 }).state;
          for (const [now, random] of downs) {
            const result = reconnectPolicy(state, down(now, { random }), { retry: { ...retry, ...r }, servers: 1 });
            state = result.state;
            const a = attemptOf(result.effects)!;
            expect(Number.isFinite(a.delayMs)).toBe(true);
            expect(a.delayMs).toBeGreaterThanOrEqual(MIN_RECONNECT_DELAY_MS);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('reconnectPolicy: permanent refusals (brokers, issue 10)', () => {
  const permanent = new CoplayError('PROTOCOL_NOT_SUPPORTED', 'unacceptable protocol version', { details: { reasonCode: 1, permanent: true } });

  it('a CONNACK refusal marked permanent gives up at once (closed), even with servers left to try', () => {
    const { state, effects } = run([{ type: 'start' }, down(0, { reason: permanent })], { retry, servers: 3 });
    expect(state.stopped).toBe(true);
    expect(effects[1]).toEqual([
      { type: 'state', state: { status: 'closed', error: permanent } },
      { type: 'give-up', error: permanent },
    ]);
  });

  it('any other failure before CONNACK is retried, whatever its code', () => {
    fc.assert(
      fc.property(fc.constantFrom('CONNECT_FAILED', 'CONNECTION_LOST', 'KEEPALIVE_TIMEOUT') as fc.Arbitrary<'CONNECT_FAILED'>, (code) => {
        const { state, effects } = run([{ type: 'start' }, down(0, { reason: new CoplayError(code, 'x', { details: { reasonCode: 3 } }) })]);
        expect(state.stopped).toBe(false);
        expect(attemptOf(effects[1]!)).toBeDefined();
      }),
    );
  });
});
