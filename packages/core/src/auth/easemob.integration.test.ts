import { startBroker, startTokenAuthority, type EmbeddedBroker, type TokenAuthority } from '@coplay/testkit';
import { VirtualTimeScheduler } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConnection } from '../connection/createConnection';
import { advance, waitForState } from '../connection/testing';
import type { Connection, ConnectionOptions, ConnectionStatus, CredentialsRequest, Message } from '../connection/types';
import { easemobCredentials, type EasemobCredentialsOptions } from './easemobCredentials';

/*
 * The whole Easemob flow over real sockets: the test kit's token authority (real HTTP) mints tokens,
 * an embedded Aedes broker checks them in CONNECT through `authority.authenticate`.
 */

const APP = { appId: 'coplayapp', appClientId: 'client-1', appClientSecret: 'integration-secret-123' };
const text = (m: Message) => new TextDecoder().decode(m.payload);

let authority: TokenAuthority | undefined;
let broker: EmbeddedBroker | undefined;
const conns: Connection[] = [];

afterEach(async () => {
  await Promise.all(conns.splice(0).map((c) => c.close()));
  await broker?.close();
  await authority?.close();
  broker = undefined;
  authority = undefined;
});

async function setup(authorityOptions: { appTokenTtlSeconds?: number; userTokenTtlSeconds?: number } = {}) {
  authority = await startTokenAuthority({ ...APP, ...authorityOptions });
  broker = await startBroker({ authenticate: authority.authenticate });
  return { authority, broker };
}

function credentialsFor(username: string, extra: Partial<EasemobCredentialsOptions> = {}) {
  const inner = easemobCredentials({ apiUrl: authority!.apiUrl, ...APP, username, deviceId: `${username}-dev`, retry: { limit: 1, delayMs: 5 }, ...extra });
  // Records how the connection called the provider.
  const calls: Array<Pick<CredentialsRequest, 'attempt' | 'refresh'>> = [];
  const provider = (request: CredentialsRequest) => {
    calls.push({ attempt: request.attempt, refresh: request.refresh });
    return inner(request);
  };
  return { inner, provider, calls };
}

function connect(provider: NonNullable<ConnectionOptions['credentials']>, extra: Partial<ConnectionOptions> = {}) {
  const c = createConnection({
    url: broker!.url,
    credentials: provider,
    reconnect: { initialDelayMs: 20, maxDelayMs: 100, jitter: 0 },
    ...extra,
  });
  conns.push(c);
  const statuses: ConnectionStatus[] = [];
  c.state.value$.subscribe((s) => statuses.push(s.status));
  return { c, statuses };
}

/** CONNECT packets the broker saw from a client id, accepted or refused. */
const connects = (clientId: string) => broker!.count('connect', { clientId }) + broker!.count('connack-refused', { clientId });

describe('Easemob credentials → MQTT, end to end', () => {
  it('credentials → connect → pub/sub; the authority counts prove caching and single-flight', async () => {
    await setup();
    const host = credentialsFor('host');
    const guest = credentialsFor('guest');

    // Ten callers racing the connection's own first call: one app token, one user token.
    const racing = Promise.all(Array.from({ length: 10 }, () => host.inner()));
    const { c: hostConn } = connect(host.provider);
    await racing;
    await waitForState(hostConn, 'connected');
    expect(hostConn.clientId).toBe('host-dev@coplayapp');
    expect(authority!.counts).toEqual({ appToken: 1, userToken: 1 });

    const { c: guestConn } = connect(guest.provider);
    await waitForState(guestConn, 'connected');
    expect(authority!.counts).toEqual({ appToken: 2, userToken: 2 }); // its own provider, its own cache

    const got: string[] = [];
    hostConn.topic('room/1/input/+').subscribe((m) => got.push(`${m.topic}=${text(m)}`));
    await broker!.waitFor({ type: 'subscribe', clientId: 'host-dev@coplayapp' });
    await guestConn.publish('room/1/input/2', 'A', { qos: 1 });
    await expect.poll(() => got).toEqual(['room/1/input/2=A']);

    // A reconnect asks the provider again, which answers from its cache: no new HTTP request.
    const before = broker!.count('connect', { clientId: 'host-dev@coplayapp' });
    hostConn.reconnect();
    await expect.poll(() => broker!.count('connect', { clientId: 'host-dev@coplayapp' })).toBe(before + 1);
    await waitForState(hostConn, 'connected');
    expect(host.calls.map((x) => x.refresh)).toEqual([false, false]);
    expect(authority!.counts).toEqual({ appToken: 2, userToken: 2 });
    await expect.poll(() => broker!.count('subscribe', { clientId: 'host-dev@coplayapp' })).toBe(2);
    await guestConn.publish('room/1/input/2', 'B', { qos: 1 });
    await expect.poll(() => got).toEqual(['room/1/input/2=A', 'room/1/input/2=B']);
  });

  it('a user token expiring mid-session: the broker refuses the stale token, one refresh, the session resumes unseen', async () => {
    await setup();
    const host = credentialsFor('host');
    const guest = credentialsFor('guest');
    const { c: hostConn, statuses } = connect(host.provider);
    const { c: guestConn } = connect(guest.provider);
    const got: string[] = [];
    hostConn.topic('room/1/#').subscribe((m) => got.push(text(m)));
    await waitForState(hostConn, 'connected');
    await waitForState(guestConn, 'connected');
    await broker!.waitFor({ type: 'subscribe', clientId: 'host-dev@coplayapp' });

    // Tokens lapse vendor-side while the link is up; then the broker drops every client.
    authority!.expireUserTokens();
    await broker!.stop();
    // Both must have seen the drop first, or the polls below could pass on the old links.
    await expect.poll(() => [hostConn, guestConn].every((c) => c.state.value.status !== 'connected')).toBe(true);
    await broker!.restart();

    await expect.poll(() => hostConn.state.value.status).toBe('connected');
    await expect.poll(() => guestConn.state.value.status).toBe('connected');
    expect(broker!.count('connack-refused', { clientId: 'host-dev@coplayapp', returnCode: 4 })).toBe(1);
    expect(host.calls.map((x) => x.refresh)).toEqual([false, false, true]);
    expect(authority!.counts.userToken).toBe(4); // 2 first tokens + 1 fresh each
    expect(statuses).not.toContain('auth-failed');

    await broker!.waitFor({ type: 'subscribe', clientId: 'host-dev@coplayapp' });
    await guestConn.publish('room/1/x', 'after', { qos: 1 });
    await expect.poll(() => got).toEqual(['after']);
  });

  it('a short real TTL: the cache renews the token by itself before the next CONNECT, no refusal at all', async () => {
    await setup({ userTokenTtlSeconds: 1 });
    const host = credentialsFor('host', { refreshMarginMs: 60_000 });
    const { c: hostConn } = connect(host.provider);
    await waitForState(hostConn, 'connected');
    const first = await host.inner();

    // Wait (real time) until the vendor side no longer accepts the first token.
    await expect
      .poll(() => authority!.authenticate({ clientId: 'host-dev@coplayapp', username: 'host', password: Buffer.from(first.password as string) }), { timeout: 5_000, interval: 100 })
      .toBe('bad-credentials');
    await broker!.stop();
    await broker!.restart();
    await expect.poll(() => broker!.count('connect', { clientId: 'host-dev@coplayapp' })).toBe(2);
    await waitForState(hostConn, 'connected');
    expect(broker!.count('connack-refused')).toBe(0);
    expect(host.calls.every((x) => !x.refresh)).toBe(true);
    expect(authority!.counts.userToken).toBe(2);
  });

  it('an app token expiring: 403 → a new app token → one retry, invisible to the app', async () => {
    await setup();
    const host = credentialsFor('host');
    const { c: hostConn, statuses } = connect(host.provider);
    await waitForState(hostConn, 'connected');
    expect(authority!.counts).toEqual({ appToken: 1, userToken: 1 });

    authority!.expireAppTokens();
    authority!.expireUserTokens();
    await broker!.stop();
    await broker!.restart();
    await expect.poll(() => broker!.count('connect', { clientId: 'host-dev@coplayapp' })).toBe(2);
    await waitForState(hostConn, 'connected');

    expect(authority!.requests.map((r) => `${r.endpoint}:${r.status}`)).toEqual([
      'app-token:200',
      'user-token:200',
      'user-token:403', // stale app token
      'app-token:200',
      'user-token:200', // the one retry
    ]);
    expect(statuses).not.toContain('auth-failed');
  });

  it('a wrong secret: auth-failed after exactly one refresh; no user tokens, no CONNECT', async () => {
    await setup();
    const host = credentialsFor('host', { appClientSecret: 'not-the-secret' });
    const { c: hostConn } = connect(host.provider);
    const failed = await waitForState(hostConn, 'auth-failed');
    expect(failed.error.code).toBe('AUTH_REFUSED');
    expect(host.calls.map((x) => x.refresh)).toEqual([false, true]);
    expect(authority!.counts).toEqual({ appToken: 2, userToken: 0 });
    expect(connects('host-dev@coplayapp')).toBe(0);
    expect(host.inner.state.value).toMatchObject({ status: 'error', error: { code: 'TOKEN_REFUSED', status: 401 } });
  });

  it('a revoked user: auth-failed after exactly one refresh; ≤ 2 user tokens and ≤ 2 CONNECTs, then silence', async () => {
    await setup();
    authority!.revokeUser('guest');
    const guest = credentialsFor('guest');
    // The connection's timers run on virtual time, driven until it gives up.
    const scheduler = new VirtualTimeScheduler();
    const { c: guestConn } = connect(guest.provider, { scheduler });
    const failed = waitForState(guestConn, 'auth-failed');
    await vi.waitFor(() => {
      advance(scheduler, 1000);
      expect(guestConn.state.value.status).toBe('auth-failed');
    });
    expect((await failed).error.code).toBe('AUTH_REFUSED');
    expect(guest.calls.map((x) => x.refresh)).toEqual([false, true]);
    expect(authority!.counts.userToken).toBe(2);
    expect(connects('guest-dev@coplayapp')).toBe(2);
    expect(broker!.count('connack-refused', { clientId: 'guest-dev@coplayapp', returnCode: 4 })).toBe(2);

    // No reconnect storm: a minute later nothing else has been attempted, so nothing reaches the
    // broker or the authority (an attempt would leave auth-failed at once).
    advance(scheduler, 60_000);
    expect(guestConn.state.value.status).toBe('auth-failed');
    expect(guest.calls).toHaveLength(2);
    expect(connects('guest-dev@coplayapp')).toBe(2);
    expect(authority!.counts.userToken).toBe(2);
    expect(guestConn.state.value.status).toBe('auth-failed');
  });

  it('a user revoked mid-session: the broker refuses the reconnect, one refresh, then auth-failed', async () => {
    await setup();
    const guest = credentialsFor('guest');
    const { c: guestConn } = connect(guest.provider);
    await waitForState(guestConn, 'connected');
    authority!.revokeUser('guest');
    await broker!.stop();
    await broker!.restart();
    await waitForState(guestConn, 'auth-failed');
    expect(guest.calls.map((x) => x.refresh)).toEqual([false, false, true]);
    expect(authority!.counts.userToken).toBe(2);
    expect(broker!.count('connack-refused', { clientId: 'guest-dev@coplayapp' })).toBe(2);
  });
});
