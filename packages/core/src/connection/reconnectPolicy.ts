import { CoplayError } from '../errors/CoplayError';
import { backoffDelay, type ResolvedReconnectOptions } from './backoffDelay';
import type { ConnectionState } from './types';

/** Links closed by the broker this soon after CONNACK, `kickLoopLinks` times in a row, look like a client-id kick loop. */
export const KICK_WINDOW_MS = 1500;
/** Default of `reconnect.kickLoopLinks`. */
export const KICK_LOOP_COUNT = 4;

/** Everything the reconnect decisions depend on. Immutable: each event yields a new one. */
export interface PolicyState {
  /** Retries since the last stable link; drives the backoff delay. */
  readonly retries: number;
  /** Attempts in a row that never reached CONNACK; bounded by `maxAttempts`. */
  readonly failures: number;
  /** CONNECT attempts since the last CONNACK (or `connect()`): what the credentials provider is told. */
  readonly attempts: number;
  /** Index of the server being tried. */
  readonly serverIndex: number;
  /** The broker refused our credentials once; the next attempt asks for fresh ones. */
  readonly refresh: boolean;
  /** Links in a row that the broker closed right after CONNACK without a reason. */
  readonly shortLinks: number;
  /** When the current outage began (scheduler time), for the early delay cap. */
  readonly outageSince: number | undefined;
  /** Gave up (auth-failed, kicked, maxAttempts): no attempt until `start`. */
  readonly stopped: boolean;
}

/** What happened. `now` is scheduler time; `random` is one draw in [0, 1) for jitter. */
export type PolicyEvent =
  | { readonly type: 'start' }
  | { readonly type: 'connected' }
  | { readonly type: 'stable' }
  | {
      readonly type: 'down';
      readonly reason: CoplayError;
      /** How long the link was up after CONNACK; `undefined` if it never got there. */
      readonly upForMs: number | undefined;
      /** The broker said why (DISCONNECT, error); a silent close right after CONNACK hints at a kick. */
      readonly silent: boolean;
      /** MQTT 5 "session taken over". */
      readonly kicked: boolean;
      readonly now: number;
      readonly random: number;
    };

/** What to do about it. */
export type PolicyEffect =
  /** Start CONNECT attempt number `attempt` to server `serverIndex` after `delayMs` (0: now). */
  | { readonly type: 'attempt'; readonly delayMs: number; readonly attempt: number; readonly serverIndex: number; readonly refresh: boolean }
  /** Announce a state (`reconnecting` while waiting, or a final one when giving up). */
  | { readonly type: 'state'; readonly state: ConnectionState }
  /** Stop for good until `connect()`: reject what is queued. */
  | { readonly type: 'give-up'; readonly error: CoplayError };

/** The state before the first `start`. */
export const INITIAL_POLICY_STATE: PolicyState = {
  retries: 0,
  failures: 0,
  attempts: 0,
  serverIndex: 0,
  refresh: false,
  shortLinks: 0,
  outageSince: undefined,
  stopped: false,
};

function attempt(state: PolicyState, delayMs: number, change: Partial<PolicyState> = {}): { state: PolicyState; effects: PolicyEffect[] } {
  const next = { ...state, ...change, attempts: state.attempts + 1 };
  return {
    state: next,
    effects: [{ type: 'attempt', delayMs, attempt: next.attempts, serverIndex: next.serverIndex, refresh: next.refresh }],
  };
}

function giveUp(state: PolicyState, final: ConnectionState & { error: CoplayError }): { state: PolicyState; effects: PolicyEffect[] } {
  return {
    state: { ...state, stopped: true },
    effects: [
      { type: 'state', state: final },
      { type: 'give-up', error: final.error },
    ],
  };
}

/**
 * The reconnect decisions as a pure function `(state, event) → (state, effects)`: failover to the next
 * server, one credential refresh after an auth refusal, jittered exponential backoff (capped lower
 * during the first `earlyPhaseMs` of an outage), `maxAttempts`, and kick-loop detection. No timers,
 * no sockets: the connection carries out the effects.
 */
export function reconnectPolicy(
  state: PolicyState,
  event: PolicyEvent,
  options: { readonly retry: ResolvedReconnectOptions; readonly servers: number },
): { state: PolicyState; effects: PolicyEffect[] } {
  const { retry, servers } = options;
  switch (event.type) {
    case 'start':
      return attempt(INITIAL_POLICY_STATE, 0);
    case 'connected':
      return { state: { ...state, refresh: false, failures: 0, attempts: 0, outageSince: undefined }, effects: [] };
    case 'stable':
      return { state: { ...state, retries: 0, shortLinks: 0 }, effects: [] };
    case 'down': {
      if (state.stopped) return { state, effects: [] };
      const wasUp = event.upForMs !== undefined;
      let shortLinks = state.shortLinks;
      if (wasUp && event.silent && event.upForMs < KICK_WINDOW_MS) shortLinks++;
      // A refused attempt means the broker itself went away (a restart), not another client taking our id.
      else shortLinks = 0;
      const s: PolicyState = { ...state, shortLinks, outageSince: state.outageSince ?? event.now };
      if (event.kicked) return giveUp(s, { status: 'kicked', error: event.reason });
      if (shortLinks >= retry.kickLoopLinks) {
        return giveUp(s, {
          status: 'kicked',
          error: new CoplayError('KICKED', `the broker closed the link ${shortLinks} times right after connecting: another client probably uses this client id`),
        });
      }
      // A refusal no retry can cure (unsupported protocol version, rejected client id) ends the connection.
      if (!wasUp && event.reason.details?.permanent === true) return giveUp(s, { status: 'closed', error: event.reason });
      if (event.reason.code === 'AUTH_REFUSED') {
        // First refusal: the token may just have expired. Ask for a fresh one, once, right away.
        if (!s.refresh) return attempt(s, 0, { refresh: true, failures: s.failures + 1 });
        return giveUp(s, { status: 'auth-failed', error: event.reason });
      }
      if (!wasUp && s.serverIndex + 1 < servers) {
        // Failover: the next server is tried at once; backoff applies per round.
        return attempt(s, 0, { serverIndex: s.serverIndex + 1 });
      }
      const failures = wasUp ? s.failures : s.failures + 1;
      if (!wasUp && failures >= retry.maxAttempts) return giveUp({ ...s, failures }, { status: 'closed', error: event.reason });
      const retries = s.retries + 1;
      const early = event.now - s.outageSince! < retry.earlyPhaseMs;
      const delayMs = backoffDelay(retries, retry, () => event.random, early ? retry.earlyMaxDelayMs : retry.maxDelayMs);
      const next = attempt({ ...s, serverIndex: 0, failures, retries }, delayMs);
      return {
        state: next.state,
        effects: [{ type: 'state', state: { status: 'reconnecting', attempt: next.state.attempts, delayMs, reason: event.reason } }, ...next.effects],
      };
    }
  }
}
