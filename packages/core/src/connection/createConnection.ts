import { Subject, type Observable, type Subscription } from 'rxjs';
import { CoplayError } from '../errors/CoplayError';
import { createLive } from '../store/createLive';
import { InFlight } from './InFlight';
import { openLink, type Link, type LinkDown } from './openLink';
import { INITIAL_POLICY_STATE, reconnectPolicy, type PolicyEffect, type PolicyEvent } from './reconnectPolicy';
import { SendQueue, type QueuedMessage } from './SendQueue';
import { SubscriptionRegistry } from './SubscriptionRegistry';
import type { Connection, ConnectionOptions, ConnectionState, Credentials, Message, PublishOptions, TopicOptions, WillMessage } from './types';
import { validateOptions, validateQos, validateWill } from './validateOptions';
import { validatePublish } from './validatePublish';
import { brokerViolation } from './brokerViolation';
import { validateFilter } from './validateTopic';
import { randomHex } from '../util/randomHex';

/** A QoS 1/2 message whose every send ends in a link drop this many times in a row is rejected (a poison message). */
const POISON_DROPS = 3;

function randomClientId(): string {
  return `coplay_${randomHex(4)}`;
}

/**
 * Creates an MQTT connection that reconnects with jittered exponential backoff, fetches fresh
 * credentials before every CONNECT, ref-counts subscriptions, queues publishes while offline in a
 * bounded, expiring, coalescing queue, and tracks every QoS 1/2 publish until its acknowledgement
 * (re-sent after a link drop, settled on `close()`).
 *
 * Parts: `validateOptions` (options), `SubscriptionRegistry` (subscriptions and routing),
 * `reconnectPolicy` (pure decisions), `InFlight` (sent, not yet confirmed), `SendQueue` (offline
 * queue) and `openLink` (MQTT.js). This function wires them together.
 *
 * @throws CoplayError synchronously (`INVALID_URL`, `INVALID_OPTIONS`, `INVALID_TOPIC`, ...) for bad options.
 * @example
 * const conn = createConnection({ url: 'wss://broker.example/mqtt', clientId: 'dev1@app', credentials })
 * conn.topic('coplay/room1/#').subscribe((m) => console.log(m.topic))
 * await conn.publish('coplay/room1/hello', 'hi', { qos: 1 })
 */
export function createConnection(options: ConnectionOptions): Connection {
  const o = validateOptions(options);
  const { scheduler, urls } = o;
  const policyOptions = { retry: o.reconnect, servers: urls.length };

  const state = createLive<ConnectionState>({ status: 'idle' });
  const errors$ = new Subject<CoplayError>();
  const queue = new SendQueue(o.queue, scheduler);
  const inFlight = new InFlight();
  const registry = new SubscriptionRegistry(scheduler, o.unsubscribeGraceMs, o.profile.subscribeRetryMs ?? [], (e) => report(e));

  let clientId = o.clientId ?? randomClientId();
  /** Becomes 4 after the broker refused MQTT 5 with `protocolFallback` on. */
  let version = o.version;
  let will = o.will;
  let link: Link | undefined;
  let policy = INITIAL_POLICY_STATE;
  let closed = false;
  let closing: Promise<void> | undefined;
  let pendingAttempt: Subscription | undefined;
  let stableTimer: Subscription | undefined;
  let credentialsAbort: AbortController | undefined;
  let publishSeq = 0;

  const report = (e: CoplayError) => {
    if (!errors$.closed) errors$.next(e);
  };
  const isTerminal = () => {
    const s = state.live.value.status;
    return closed || s === 'auth-failed' || s === 'kicked' || s === 'closed';
  };

  function dispatch(event: PolicyEvent): void {
    const result = reconnectPolicy(policy, event, policyOptions);
    policy = result.state;
    for (const effect of result.effects) run(effect);
  }

  function run(effect: PolicyEffect): void {
    if (closed) return;
    switch (effect.type) {
      case 'state':
        state.set(effect.state);
        return;
      case 'give-up':
        pendingAttempt?.unsubscribe();
        queue.rejectAll(new CoplayError('CLOSED', `connection ${state.live.value.status}: queued message not sent (${effect.error.message})`, { cause: effect.error }), false);
        return;
      case 'attempt': {
        pendingAttempt?.unsubscribe();
        const { attempt: n, serverIndex, refresh } = effect;
        pendingAttempt = scheduler.schedule(() => {
          pendingAttempt = undefined;
          void attempt(n, serverIndex, refresh);
        }, effect.delayMs);
      }
    }
  }

  async function attempt(attemptNo: number, serverIndex: number, refresh: boolean): Promise<void> {
    if (isTerminal()) return;
    const server = urls[serverIndex]!;
    state.set({ status: 'connecting', attempt: attemptNo, server });
    const abort = new AbortController();
    credentialsAbort = abort;
    let creds: Credentials;
    try {
      creds = await o.credentials({ attempt: attemptNo, refresh, signal: abort.signal });
      if (!creds || typeof creds !== 'object') throw new CoplayError('CREDENTIALS_FAILED', 'credentials provider returned no credentials object');
    } catch (err) {
      if (abort.signal.aborted || closed) return;
      const e = err instanceof CoplayError ? err : new CoplayError('CREDENTIALS_FAILED', `credentials provider failed: ${String((err as Error)?.message ?? err)}`, { cause: err });
      // A token service that says "no" (401/403) is an auth refusal, not a network blip.
      const refused = e.code === 'TOKEN_REFUSED' || e.status === 401 || e.status === 403;
      linkDown({ reason: refused ? new CoplayError('AUTH_REFUSED', e.message, { cause: e }) : e, connectedAt: undefined, silent: false, kicked: false });
      return;
    } finally {
      if (credentialsAbort === abort) credentialsAbort = undefined;
    }
    if (isTerminal() || abort.signal.aborted) return;
    if (typeof creds.clientId === 'string') {
      // A client id the broker would refuse is refused by every retry too: stop here, typed.
      const refused = brokerViolation(o.profile, { clientId: creds.clientId });
      if (refused) {
        stop(refused);
        return;
      }
      clientId = creds.clientId;
    }
    const l: Link = openLink(
      {
        server,
        clientId,
        version,
        keepalive: o.keepalive,
        clean: o.clean,
        connectTimeoutMs: o.reconnect.connectTimeoutMs,
        credentials: creds,
        will,
        mqttOptions: o.mqttOptions,
        wholePacketFrames: o.wholePacketFrames,
        now: () => scheduler.now(),
      },
      {
        connected: () => {
          if (link !== l) return;
          dispatch({ type: 'connected' });
          state.set({ status: 'connected', server, since: scheduler.now() });
          stableTimer?.unsubscribe();
          stableTimer = scheduler.schedule(() => dispatch({ type: 'stable' }), o.reconnect.resetAfterMs);
          registry.setSink(l);
          flush(l);
        },
        message: (m: Message) => {
          if (link === l) registry.route(m);
        },
        down: (info) => {
          if (link !== l) return;
          link = undefined;
          linkDown(info);
        },
      },
    );
    link = l;
  }

  /** Gives up for good (until `connect()`), as the policy does after `maxAttempts`. */
  function stop(error: CoplayError): void {
    policy = { ...policy, stopped: true };
    run({ type: 'state', state: { status: 'closed', error } });
    run({ type: 'give-up', error });
  }

  /** The link is gone (or never came): unconfirmed messages go back to the queue, then the policy decides. */
  function linkDown(info: LinkDown): void {
    stableTimer?.unsubscribe();
    registry.setSink(undefined);
    requeueInFlight();
    report(info.reason);
    if (isTerminal()) return;
    if (info.reason.code === 'PROTOCOL_NOT_SUPPORTED' && version === 5 && o.protocolFallback && info.connectedAt === undefined) {
      // Opt-in: the broker speaks 3.1.1 only. Try again at once on the same server with 3.1.1, and stay there.
      version = 4;
      policy = { ...policy, attempts: policy.attempts + 1 };
      run({ type: 'attempt', delayMs: 0, attempt: policy.attempts, serverIndex: policy.serverIndex, refresh: policy.refresh });
      return;
    }
    dispatch({
      type: 'down',
      reason: info.reason,
      upForMs: info.connectedAt === undefined ? undefined : scheduler.now() - info.connectedAt,
      silent: info.silent,
      kicked: info.kicked,
      now: scheduler.now(),
      random: o.random(),
    });
  }

  function requeueInFlight(): void {
    const all = inFlight.takeAll();
    // Poison: a publish the broker answers by closing the link (e.g. a topic it cannot route) would be
    // re-sent after every reconnect forever. The broker acknowledges in order, so the oldest message
    // without an acknowledgement is the suspect of each drop; suspected POISON_DROPS times in a row
    // (every send of it ended in a drop), it is rejected and the queue moves on.
    const suspect = all.find((m) => m.qos > 0);
    for (const m of all) {
      if (m === suspect && !closed && !isTerminal() && (m.drops = (m.drops ?? 0) + 1) >= POISON_DROPS) {
        const poison = new CoplayError('PUBLISH_FAILED', `the link dropped ${POISON_DROPS} times in a row before the broker acknowledged the message to ${m.topic}`, {
          details: { poison: true, drops: POISON_DROPS, topic: m.topic },
        });
        report(poison);
        m.reject(poison);
      } else lost(m);
    }
  }

  /** A message whose link went away before it was confirmed. */
  function lost(m: QueuedMessage): void {
    if (closed || isTerminal()) {
      m.reject(new CoplayError('CLOSED', 'connection closed before the message was acknowledged'));
      return;
    }
    // QoS 1/2 always go back, in their original place; QoS 0 follows its offline policy.
    const offline = m.qos > 0 ? 'queue' : (m.whenOffline ?? 'queue');
    if (offline === 'queue') queue.requeue(m);
    else if (offline === 'drop') m.resolve(false);
    else m.reject(new CoplayError('OFFLINE', `link lost before the message to ${m.topic} was written`));
  }

  function send(l: Link, m: QueuedMessage): void {
    const ticket = inFlight.add(m);
    if (m.qos > 0) m.sent = true;
    l.publish(m.topic, m.payload, m.qos, m.retain, (err) => {
      if (!inFlight.settle(m, ticket)) return; // already requeued or settled by close()
      if (!err) return m.resolve(true);
      // Only a broker's negative acknowledgement (MQTT 5 reason code) fails a message. Any other error
      // means the link went away under it (MQTT.js flushes its callbacks with "Connection closed").
      const reasonCode = (err as { code?: unknown }).code;
      if (m.qos === 0 || typeof reasonCode !== 'number') return lost(m);
      const refused = new CoplayError('PUBLISH_FAILED', err.message, { cause: err, details: { reasonCode } });
      report(refused); // also on errors$: a refusal is a deployment problem the caller may not be watching
      m.reject(refused);
    });
  }

  function flush(l: Link): void {
    for (const m of queue.drain()) {
      if (link !== l || !l.connected) queue.requeue(m);
      else send(l, m);
    }
  }

  function topic(filter: string, topicOptions?: TopicOptions | null): Observable<Message> {
    validateFilter(filter);
    if (topicOptions !== undefined && topicOptions !== null && typeof topicOptions !== 'object') {
      throw new CoplayError('INVALID_OPTIONS', 'topic options must be an object');
    }
    validateQos(topicOptions?.qos);
    const qos = topicOptions?.qos ?? 0;
    const refused = brokerViolation(o.profile, { filter }) ?? brokerViolation(o.profile, { qos });
    if (refused) throw refused;
    // A clean session keeps nothing across links, so QoS 1 delivery adds nothing over TCP there; on brokers
    // where a QoS 1 subscription is costly (NATS: a JetStream consumer, refused for seconds after a node dies)
    // the profile asks for QoS 0.
    return registry.topic(filter, o.clean && o.profile.cleanSubscriptionsAtQos0 ? 0 : qos);
  }

  function publish(topicName: string, payload: string | Uint8Array, publishOptions?: PublishOptions | null): Promise<boolean> {
    let p;
    try {
      p = validatePublish(topicName, payload, publishOptions, version, o.profile);
    } catch (err) {
      return Promise.reject(err);
    }
    if (closed) return Promise.reject(new CoplayError('CLOSED', 'connection is closed'));
    const checked = p;
    return new Promise<boolean>((resolve, reject) => {
      const ttlMs = checked.ttlMs ?? o.queue.ttlMs;
      const m: QueuedMessage = {
        seq: ++publishSeq,
        topic: checked.topic,
        payload: checked.payload,
        bytes: checked.bytes,
        qos: checked.qos,
        retain: checked.retain,
        coalesceKey: checked.coalesceKey,
        expiresAt: ttlMs === Number.POSITIVE_INFINITY ? ttlMs : scheduler.now() + ttlMs,
        whenOffline: checked.whenOffline,
        resolve,
        reject,
      };
      if (link?.connected && queue.size === 0) return send(link, m);
      if (checked.whenOffline === 'drop') return resolve(false);
      if (checked.whenOffline === 'fail' || isTerminal()) {
        return reject(new CoplayError('OFFLINE', `not connected (${state.live.value.status}); message to ${checked.topic} not sent`));
      }
      queue.enqueue(m);
      if (link?.connected) flush(link);
    });
  }

  function dropLink(): void {
    const l = link;
    link = undefined;
    stableTimer?.unsubscribe();
    registry.setSink(undefined);
    l?.destroy();
    requeueInFlight();
  }

  function connect(): void {
    if (closed) return;
    const s = state.live.value.status;
    if (s === 'connecting' || s === 'connected' || s === 'reconnecting') return;
    // Leave a final state (auth-failed, kicked, closed by a refusal or maxAttempts), or attempt() would stop at once.
    if (isTerminal()) state.set({ status: 'idle' });
    dispatch({ type: 'start' });
  }

  function reconnect(): void {
    if (closed) return;
    credentialsAbort?.abort();
    pendingAttempt?.unsubscribe();
    dropLink();
    if (isTerminal()) state.set({ status: 'idle' });
    dispatch({ type: 'start' });
  }

  function close(): Promise<void> {
    if (closing) return closing;
    closed = true;
    pendingAttempt?.unsubscribe();
    stableTimer?.unsubscribe();
    credentialsAbort?.abort();
    const l = link;
    link = undefined;
    if (state.live.value.status !== 'closed') state.set({ status: 'closed' });
    queue.rejectAll(new CoplayError('CLOSED', 'connection closed before the message was sent'), true);
    registry.close();
    closing = new Promise<void>((resolve) => {
      const force: { timer?: Subscription } = {};
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        force.timer?.unsubscribe();
        const left = inFlight.takeAll();
        for (const m of left) m.reject(new CoplayError('CLOSED', 'connection closed before the message was acknowledged'));
        if (left.length > 0) {
          report(new CoplayError('CLOSED', `close() gave up waiting for ${left.length} acknowledgement(s) after ${o.closeTimeoutMs} ms`));
        }
        l?.destroy();
        resolve();
      };
      if (!l || !l.connected) return finish();
      // A clean DISCONNECT (no last will) once the acks are in, or a forced close after closeTimeoutMs.
      force.timer = scheduler.schedule(finish, o.closeTimeoutMs);
      l.end(finish);
    }).then(() => {
      state.complete();
      errors$.complete();
    });
    return closing;
  }

  if (o.autoConnect) connect();

  return {
    state: state.live,
    queue: { get value() { return queue.stats; }, value$: queue.changes$ },
    errors$: errors$.asObservable(),
    get clientId() {
      return clientId;
    },
    broker: o.profile,
    get protocolVersion() {
      return version;
    },
    topic,
    publish,
    setWill(next: WillMessage | undefined) {
      if (next !== undefined && next !== null) validateWill(next, o.profile);
      will = next ?? undefined;
    },
    connect,
    reconnect,
    close,
  };
}
