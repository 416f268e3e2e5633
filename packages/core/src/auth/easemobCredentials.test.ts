import { inspect } from 'node:util';
import { freePort, startTokenAuthority, type TokenAuthority } from '@coplay/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { isCoplayError, type CoplayError } from '../errors/CoplayError';
import { easemobCredentials, type EasemobCredentialsOptions } from './easemobCredentials';

const APP = { appId: 'testapp', appClientId: 'client-1', appClientSecret: 'top-secret-value-42' };

let authority: TokenAuthority;

beforeAll(async () => {
  authority = await startTokenAuthority({ ...APP, appTokenTtlSeconds: 3600, userTokenTtlSeconds: 3600 });
});
afterAll(async () => {
  await authority.close();
});
beforeEach(() => {
  authority.resetCounts();
  authority.clearFailures();
});

function make(extra: Partial<EasemobCredentialsOptions> = {}) {
  return easemobCredentials({
    apiUrl: authority.apiUrl,
    ...APP,
    username: 'alice',
    deviceId: 'dev1',
    retry: { limit: 2, delayMs: 5, maxDelayMs: 20 },
    ...extra,
  });
}

async function failure(p: Promise<unknown>): Promise<CoplayError> {
  const e = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
  if (!isCoplayError(e)) throw e;
  // Whatever went wrong, the secret is nowhere in the error (message, details, cause).
  expect(inspect(e, { depth: 10 })).not.toContain(APP.appClientSecret);
  expect(JSON.stringify({ ...e, message: e.message })).not.toContain(APP.appClientSecret);
  return e;
}

describe('easemobCredentials against the local token authority', () => {
  it('app token → user token → { username, password, clientId: deviceId@appId }, accepted by the broker hook', async () => {
    const credentials = make();
    const c = await credentials({ attempt: 1, refresh: false, signal: new AbortController().signal });
    expect(c).toMatchObject({ username: 'alice', clientId: 'dev1@testapp' });
    expect(typeof c.password).toBe('string');
    expect(authority.authenticate({ clientId: c.clientId!, username: c.username!, password: Buffer.from(c.password as string) })).toBe(true);
    expect(credentials.state.value).toMatchObject({ status: 'valid' });
    expect((credentials.state.value as { expiresAt: number }).expiresAt).toBeGreaterThan(Date.now() + 3_500_000);
    expect(authority.counts).toEqual({ appToken: 1, userToken: 1 });
    const user = authority.requests.find((r) => r.endpoint === 'user-token');
    expect(user).toMatchObject({ username: 'alice', cid: 'dev1@testapp' });
  });

  it('deviceId defaults to the username', async () => {
    expect(await make({ deviceId: undefined })()).toMatchObject({ clientId: 'alice@testapp' });
  });

  it('single-flight and caching: ten concurrent calls, then ten more, cost one app and one user token', async () => {
    const credentials = make();
    const first = await Promise.all(Array.from({ length: 10 }, () => credentials()));
    const later = await Promise.all(Array.from({ length: 10 }, () => credentials({ attempt: 2, refresh: false })));
    expect(new Set([...first, ...later].map((c) => c.password)).size).toBe(1);
    expect(authority.counts).toEqual({ appToken: 1, userToken: 1 });
  });

  it('refresh: true fetches a new user token, reusing the app token', async () => {
    const credentials = make();
    const a = await credentials();
    const b = await credentials({ refresh: true });
    expect(b.password).not.toBe(a.password);
    expect(authority.counts).toEqual({ appToken: 1, userToken: 2 });
  });

  it('renews the user token ahead of its expiry (injected clock)', async () => {
    let now = Date.now();
    const credentials = make({ now: () => now, tokenTtlSeconds: 120, refreshMarginMs: 30_000 });
    const a = await credentials();
    expect(authority.requests.at(-1)).toMatchObject({ endpoint: 'user-token' });
    now += 89_000;
    expect((await credentials()).password).toBe(a.password);
    now += 1_000; // 30 s before expiry
    expect((await credentials()).password).not.toBe(a.password);
    expect(authority.counts).toEqual({ appToken: 1, userToken: 2 });
  });

  it('an expired app token: 403 → one new app token → one retry, invisible to the caller', async () => {
    const credentials = make();
    await credentials();
    authority.expireAppTokens();
    const c = await credentials({ refresh: true });
    expect(authority.authenticate({ clientId: 'dev1@testapp', username: 'alice', password: Buffer.from(c.password as string) })).toBe(true);
    expect(authority.counts).toEqual({ appToken: 2, userToken: 3 });
    expect(authority.requests.map((r) => `${r.endpoint}:${r.status}`)).toEqual([
      'app-token:200', 'user-token:200', 'user-token:403', 'app-token:200', 'user-token:200',
    ]);
  });

  it('a user-token call refused twice with 403 retries only once, then TOKEN_REFUSED', async () => {
    authority.failNext({ endpoint: 'user-token', status: 403, body: { code: 403, msg: 'forbidden' }, times: 2 });
    const e = await failure(make()());
    expect(e).toMatchObject({ code: 'TOKEN_REFUSED', status: 403, details: { endpoint: 'user-token', code: 403, msg: 'forbidden' } });
    expect(authority.counts).toEqual({ appToken: 2, userToken: 2 });
  });

  it('a wrong secret is TOKEN_REFUSED with HTTP 401 and the server msg, not retried, secret not echoed', async () => {
    const credentials = make({ appClientSecret: 'wrong-secret-value' });
    const e = await failure(credentials());
    expect(e.code).toBe('TOKEN_REFUSED');
    expect(e.status).toBe(401);
    expect(e.details).toMatchObject({ endpoint: 'app-token', code: 401 });
    expect(typeof e.details?.msg).toBe('string');
    expect(inspect(e)).not.toContain('wrong-secret-value');
    expect(credentials.state.value).toMatchObject({ status: 'error', error: { code: 'TOKEN_REFUSED' } });
    expect(authority.counts).toEqual({ appToken: 1, userToken: 0 });
  });

  it('a vendor that echoes the app secret in its msg: the error carries it nowhere (issue 9, finding 9)', async () => {
    authority.failNext({ endpoint: 'app-token', status: 401, body: { code: 401, msg: `bad appClientSecret ${APP.appClientSecret}` } });
    const e = await failure(make()());
    expect(e).toMatchObject({ code: 'TOKEN_REFUSED', status: 401 });
    expect(e.message).toContain('bad appClientSecret ***');
    authority.failNext({ endpoint: 'user-token', status: 200, body: { code: 500, msg: `echo ${APP.appClientSecret}${APP.appClientSecret}` } });
    const again = await failure(make()());
    expect(again.details).toMatchObject({ msg: 'echo ******' });
  });

  it('a 401 on the user-token call is a refusal of the user, not of the app token: no new app token (issue 9, finding 10)', async () => {
    const credentials = make();
    await credentials();
    authority.resetCounts();
    authority.failNext({ endpoint: 'user-token', status: 401, body: { code: 401, msg: 'user not allowed' } });
    const e = await failure(credentials({ refresh: true }));
    expect(e).toMatchObject({ code: 'TOKEN_REFUSED', status: 401 });
    expect(authority.counts).toEqual({ appToken: 0, userToken: 1 });
    // Only 403 — what Easemob answers for an expired app token — renews it.
    authority.failNext({ endpoint: 'user-token', status: 403, body: { code: 403, msg: 'token expired' } });
    await expect(credentials({ refresh: true })).resolves.toMatchObject({ username: 'alice' });
    expect(authority.counts).toEqual({ appToken: 1, userToken: 3 });
  });

  it('a non-200 code in an HTTP 200 answer is a typed error carrying code and msg', async () => {
    authority.failNext({ endpoint: 'app-token', body: { code: 400, msg: 'app disabled' } });
    const refused = await failure(make()());
    expect(refused).toMatchObject({ code: 'TOKEN_REFUSED', status: 200, details: { code: 400, msg: 'app disabled' } });

    authority.failNext({ endpoint: 'user-token', body: { code: 500, msg: 'internal' } });
    const busy = await failure(make()());
    expect(busy).toMatchObject({ code: 'TOKEN_HTTP', status: 200, details: { endpoint: 'user-token', code: 500, msg: 'internal' } });
  });

  it('a 500 then success is retried and recovers', async () => {
    authority.failNext({ endpoint: 'user-token', status: 500 });
    const c = await make()();
    expect(c.username).toBe('alice');
    expect(authority.requests.filter((r) => r.endpoint === 'user-token').map((r) => r.status)).toEqual([500, 200]);
  });

  it('5xx beyond the retry limit is TOKEN_HTTP after limit + 1 tries', async () => {
    authority.failNext({ endpoint: 'app-token', status: 503, body: { code: 503, msg: 'maintenance' }, times: 5 });
    const e = await failure(make({ retry: { limit: 2, delayMs: 1 } })());
    expect(e).toMatchObject({ code: 'TOKEN_HTTP', status: 503, details: { msg: 'maintenance' } });
    expect(authority.counts.appToken).toBe(3);
    authority.resetCounts();
    authority.failNext({ endpoint: 'app-token', status: 500, times: 5 });
    await failure(make({ retry: false })());
    expect(authority.counts.appToken).toBe(1);
  });

  it('4xx is never retried', async () => {
    authority.failNext({ endpoint: 'user-token', status: 400, body: { code: 400, msg: 'bad cid' } });
    const e = await failure(make()());
    expect(e).toMatchObject({ code: 'TOKEN_REFUSED', status: 400, details: { msg: 'bad cid' } });
    expect(authority.counts.userToken).toBe(1);
  });

  it('malformed JSON and a missing access_token are TOKEN_RESPONSE', async () => {
    authority.failNext({ endpoint: 'app-token', raw: '{"code":200,"body":' });
    expect(await failure(make()())).toMatchObject({ code: 'TOKEN_RESPONSE', status: 200, details: { endpoint: 'app-token' } });
    authority.failNext({ endpoint: 'user-token', body: { code: 200, msg: 'success', body: {} } });
    expect(await failure(make()())).toMatchObject({ code: 'TOKEN_RESPONSE', details: { endpoint: 'user-token' } });
    authority.failNext({ endpoint: 'user-token', status: 502, raw: '<html>bad gateway</html>', times: 3 });
    expect(await failure(make()())).toMatchObject({ code: 'TOKEN_HTTP', status: 502 });
  });

  it('a slow vendor is TOKEN_TIMEOUT', async () => {
    authority.failNext({ endpoint: 'app-token', delayMs: 2_000 });
    const e = await failure(make({ timeoutMs: 100 })());
    expect(e).toMatchObject({ code: 'TOKEN_TIMEOUT', details: { endpoint: 'app-token', timeoutMs: 100 } });
    expect(authority.counts.appToken).toBe(1);
  });

  it('an unreachable vendor is TOKEN_NETWORK after retries', async () => {
    const port = await freePort();
    const e = await failure(make({ apiUrl: `http://127.0.0.1:${port}/app/testapp`, retry: { limit: 1, delayMs: 1 } })());
    expect(e).toMatchObject({ code: 'TOKEN_NETWORK', details: { endpoint: 'app-token' } });
  });

  it('aborting the request signal rejects with its reason', async () => {
    authority.failNext({ endpoint: 'app-token', delayMs: 2_000 });
    const controller = new AbortController();
    const credentials = make();
    const p = credentials({ attempt: 1, refresh: false, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('connection closed')), 20);
    await expect(p).rejects.toThrow('connection closed');
    expect(credentials.state.value.status).toBe('empty');
  });

  it('rejects bad options synchronously with typed errors', () => {
    expect(() => make({ username: 'a b' })).toThrow(expect.objectContaining({ code: 'INVALID_ID' }));
    expect(() => make({ username: '' })).toThrow(expect.objectContaining({ code: 'INVALID_ID' }));
    expect(() => make({ deviceId: 'x'.repeat(60) })).toThrow(expect.objectContaining({ code: 'INVALID_ID' }));
    expect(() => make({ deviceId: 'd'.repeat(56) })).not.toThrow(); // 56 + '@testapp' = 64
    expect(() => make({ appId: 'bad/app' })).toThrow(expect.objectContaining({ code: 'INVALID_ID' }));
    expect(() => make({ apiUrl: 'not a url' })).toThrow(expect.objectContaining({ code: 'INVALID_URL' }));
    expect(() => make({ apiUrl: 'ftp://x/app/y' })).toThrow(expect.objectContaining({ code: 'INVALID_URL' }));
    expect(() => make({ appClientSecret: '' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => make({ tokenTtlSeconds: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });
});

describe('easemobCredentials in a browser', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    vi.resetModules();
  });

  it('warns once in a development build', async () => {
    vi.resetModules();
    vi.stubGlobal('window', {});
    vi.stubGlobal('document', {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { easemobCredentials: fresh } = await import('./easemobCredentials');
    const opts = { apiUrl: 'http://127.0.0.1:1/app/testapp', ...APP, username: 'alice' };
    fresh(opts);
    fresh(opts);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/createTokenHandler/);
    expect(String(warn.mock.calls[0]![0])).not.toContain(APP.appClientSecret);
  });

  it('stays silent in production builds and outside browsers', async () => {
    vi.resetModules();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const opts = { apiUrl: 'http://127.0.0.1:1/app/testapp', ...APP, username: 'alice' };
    (await import('./easemobCredentials')).easemobCredentials(opts); // Node: no window
    vi.resetModules();
    vi.stubGlobal('window', {});
    vi.stubGlobal('document', {});
    vi.stubEnv('NODE_ENV', 'production');
    (await import('./easemobCredentials')).easemobCredentials(opts);
    expect(warn).not.toHaveBeenCalled();
  });
});
