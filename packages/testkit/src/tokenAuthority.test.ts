import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTokenAuthority, type TokenAuthority } from './tokenAuthority';

const APP = { appId: 'testapp', appClientId: 'client-1', appClientSecret: 's3cret-value' };

let authority: TokenAuthority;

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${authority.apiUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

const appToken = async () => {
  const r = await post('/openapi/rm/app/token', { appClientId: APP.appClientId, appClientSecret: APP.appClientSecret });
  return r.json.body.access_token as string;
};

const userToken = async (app: string, username = 'alice', cid = `dev1@${APP.appId}`, expires_in = 3600) =>
  post('/openapi/rm/user/token', { username, expires_in, cid }, { Authorization: app });

describe('startTokenAuthority', () => {
  beforeEach(async () => {
    authority = await startTokenAuthority({ ...APP, appTokenTtlSeconds: 60, userTokenTtlSeconds: 60 });
  });
  afterEach(async () => {
    await authority.close();
  });

  it('listens on loopback under /app/{appId}', () => {
    expect(authority.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/app\/testapp$/);
  });

  it('issues an app token for the right id and secret, 401 otherwise', async () => {
    const ok = await post('/openapi/rm/app/token', { appClientId: APP.appClientId, appClientSecret: APP.appClientSecret });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ code: 200, msg: 'success', body: { expires_in: 60 } });
    expect(typeof ok.json.body.access_token).toBe('string');

    const bad = await post('/openapi/rm/app/token', { appClientId: APP.appClientId, appClientSecret: 'nope' });
    expect(bad.status).toBe(401);
    expect(bad.json.code).toBe(401);
    expect(typeof bad.json.msg).toBe('string');
    const badId = await post('/openapi/rm/app/token', { appClientId: 'other', appClientSecret: APP.appClientSecret });
    expect(badId.status).toBe(401);
    expect(authority.counts.appToken).toBe(3);
  });

  it('issues user tokens with the raw app token, 403 for unknown or expired app tokens', async () => {
    const app = await appToken();
    const ok = await userToken(app);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ code: 200, body: { expires_in: 60 } });

    expect((await userToken('Bearer ' + app)).status).toBe(403);
    expect((await userToken('unknown')).status).toBe(403);
    authority.expireAppTokens();
    const expired = await userToken(app);
    expect(expired.status).toBe(403);
    expect(expired.json.code).toBe(403);
    expect(authority.counts).toEqual({ appToken: 1, userToken: 4 });
  });

  it('honours a shorter requested expires_in and caps a longer one', async () => {
    const app = await appToken();
    expect((await userToken(app, 'alice', `d@${APP.appId}`, 5)).json.body.expires_in).toBe(5);
    expect((await userToken(app, 'alice', `d@${APP.appId}`, 99999)).json.body.expires_in).toBe(60);
  });

  it('rejects malformed user-token requests with 400', async () => {
    const app = await appToken();
    expect((await post('/openapi/rm/user/token', '{not json', { Authorization: app })).status).toBe(400);
    expect((await post('/openapi/rm/user/token', { username: 'a' }, { Authorization: app })).status).toBe(400);
    expect((await userToken(app, 'alice', 'dev1@otherapp')).status).toBe(400);
    expect((await post('/openapi/rm/nothing', {})).status).toBe(404);
  });

  it('authenticate accepts only a valid token for the same username and client id', async () => {
    const app = await appToken();
    const token = (await userToken(app, 'alice', `dev1@${APP.appId}`)).json.body.access_token as string;
    const ctx = { clientId: `dev1@${APP.appId}`, username: 'alice', password: Buffer.from(token) };
    expect(authority.authenticate(ctx)).toBe(true);
    expect(authority.authenticate({ ...ctx, username: 'bob' })).toBe('bad-credentials');
    expect(authority.authenticate({ ...ctx, clientId: `dev2@${APP.appId}` })).toBe('bad-credentials');
    expect(authority.authenticate({ ...ctx, password: Buffer.from('forged') })).toBe('bad-credentials');
    expect(authority.authenticate({ clientId: ctx.clientId, username: 'alice' })).toBe('bad-credentials');

    authority.revokeUser('alice');
    expect(authority.authenticate(ctx)).toBe('bad-credentials');
    authority.restoreUser('alice');
    expect(authority.authenticate(ctx)).toBe(true);

    authority.expireUserTokens();
    expect(authority.authenticate(ctx)).toBe('bad-credentials');
  });

  it('expires tokens for real after their TTL', async () => {
    await authority.close();
    authority = await startTokenAuthority({ ...APP, appTokenTtlSeconds: 0.2, userTokenTtlSeconds: 0.2 });
    const app = await appToken();
    const token = (await userToken(app)).json.body.access_token as string;
    const ctx = { clientId: `dev1@${APP.appId}`, username: 'alice', password: Buffer.from(token) };
    expect(authority.authenticate(ctx)).toBe(true);
    // Only Date is faked: the HTTP server and sockets keep running on real timers.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 150);
      expect(authority.authenticate(ctx)).toBe(true);
      vi.setSystemTime(Date.now() + 100);
      expect(authority.authenticate(ctx)).toBe('bad-credentials');
      expect((await userToken(app)).status).toBe(403);
    } finally {
      vi.useRealTimers();
    }
  });

  it('failNext injects statuses, bodies, raw text and delays, then recovers', async () => {
    authority.failNext({ status: 500 });
    const r500 = await post('/openapi/rm/app/token', { appClientId: APP.appClientId, appClientSecret: APP.appClientSecret });
    expect(r500.status).toBe(500);

    authority.failNext({ body: { code: 503, msg: 'busy' } });
    const code = await post('/openapi/rm/app/token', {});
    expect(code.status).toBe(200);
    expect(code.json).toEqual({ code: 503, msg: 'busy' });

    authority.failNext({ raw: '{"code":200,' });
    expect((await post('/openapi/rm/app/token', {})).text).toBe('{"code":200,');

    authority.failNext({ endpoint: 'user-token', status: 502, times: 2 });
    const app = await appToken(); // not affected: the failure targets user-token
    expect((await userToken(app)).status).toBe(502);
    expect((await userToken(app)).status).toBe(502);
    expect((await userToken(app)).status).toBe(200);

    authority.failNext({ delayMs: 150 });
    const t0 = Date.now();
    expect((await userToken(app)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);

    expect(authority.requests.filter((r) => r.injected)).toHaveLength(5);
    expect(authority.requests.map((r) => r.endpoint)).toEqual([
      'app-token', 'app-token', 'app-token', 'app-token', 'user-token', 'user-token', 'user-token', 'user-token',
    ]);
  });

  it('clearFailures drops unused injected failures', async () => {
    authority.failNext({ status: 500, times: 3 });
    authority.clearFailures();
    expect(await appToken()).toMatch(/^APP/);
  });

  it('resetCounts clears counts and log; close frees the port', async () => {
    await appToken();
    authority.resetCounts();
    expect(authority.counts).toEqual({ appToken: 0, userToken: 0 });
    expect(authority.requests).toHaveLength(0);
    const url = authority.apiUrl;
    await authority.close();
    await expect(fetch(`${url}/openapi/rm/app/token`, { method: 'POST' })).rejects.toThrow();
    authority = await startTokenAuthority(APP);
  });
});
