import { startTokenAuthority, type TokenAuthority } from '@coplay/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTokenHandler, type TokenHandlerOptions } from './createTokenHandler';

const APP = { appId: 'testapp', appClientId: 'client-1', appClientSecret: 'handler-secret-0123456789' };

let authority: TokenAuthority;
beforeAll(async () => {
  authority = await startTokenAuthority(APP);
});
afterAll(async () => {
  await authority.close();
});
beforeEach(() => {
  authority.resetCounts();
  authority.clearFailures();
});

/** Authorizes `Authorization: Bearer user:<name>`; the username comes from the header on purpose, to test validation. */
const authorize: TokenHandlerOptions['authorize'] = (request) => {
  const m = /^Bearer user:(.*)$/.exec(request.headers.get('authorization') ?? '');
  return m ? { username: m[1]! } : false;
};

function handler(extra: Partial<TokenHandlerOptions> = {}) {
  return createTokenHandler({ apiUrl: authority.apiUrl, ...APP, authorize, retry: { limit: 1, delayMs: 1 }, ...extra });
}

/** Calls the handler and checks what every response must satisfy. */
async function call(h: (r: Request) => Promise<Response>, init: RequestInit & { url?: string } = {}) {
  const response = await h(new Request(init.url ?? 'http://localhost/api/token', init));
  const text = await response.text();
  expect(text).not.toContain(APP.appClientSecret);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.headers.get('cache-control')).toBe('no-store');
  return { status: response.status, headers: response.headers, json: JSON.parse(text) };
}

const post = (body: unknown, headers: Record<string, string> = { authorization: 'Bearer user:alice' }) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('createTokenHandler', () => {
  it('returns a user token the broker accepts, as { username, password, clientId, expiresAt, expiresIn }', async () => {
    const h = handler();
    const r = await call(h, post({ deviceId: 'tab-1' }));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ username: 'alice', clientId: 'tab-1@testapp', expiresIn: 3600 });
    expect(r.json.expiresAt).toBeGreaterThan(Date.now());
    expect(authority.authenticate({ clientId: 'tab-1@testapp', username: 'alice', password: Buffer.from(r.json.password) })).toBe(true);
    // An empty POST is fine too: the client id defaults to the username.
    const bare = await call(h, { method: 'POST', headers: { authorization: 'Bearer user:bob' } });
    expect(bare.json).toMatchObject({ username: 'bob', clientId: 'bob@testapp' });
  });

  it("the grant's deviceId wins over the request's", async () => {
    const h = handler({ authorize: () => ({ username: 'carol', deviceId: 'server-chosen' }) });
    expect((await call(h, post({ deviceId: 'client-chosen' }))).json.clientId).toBe('server-chosen@testapp');
  });

  it('shares one app token across requests', async () => {
    const h = handler();
    await Promise.all(Array.from({ length: 5 }, (_, i) => call(h, post({ deviceId: `d${i}` }))));
    await call(h, post({}));
    expect(authority.counts).toEqual({ appToken: 1, userToken: 6 });
  });

  it('renews the shared app token once when it expires, even under concurrency', async () => {
    const h = handler();
    await call(h, post({}));
    authority.expireAppTokens();
    const all = await Promise.all(Array.from({ length: 4 }, (_, i) => call(h, post({ deviceId: `d${i}` }))));
    expect(all.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(authority.counts.appToken).toBe(2);
  });

  it('405 with Allow for other methods', async () => {
    const h = handler();
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const r = await call(h, { method });
      expect(r.status).toBe(405);
      expect(r.headers.get('allow')).toBe('POST');
      expect(r.json).toEqual({ error: { code: 'METHOD_NOT_ALLOWED', message: expect.any(String) } });
    }
  });

  it('415 for a non-JSON content type', async () => {
    const h = handler();
    const r = await call(h, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'deviceId=x' });
    expect(r.status).toBe(415);
    expect(r.json.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('413 for an oversized body (by Content-Length and by streamed size)', async () => {
    const h = handler({ maxBodyBytes: 4096 });
    const big = JSON.stringify({ deviceId: 'x', pad: 'y'.repeat(5000) });
    const r = await call(h, post(big));
    expect(r.status).toBe(413);
    expect(r.json.error.code).toBe('BODY_TOO_LARGE');
    // No Content-Length: a stream that turns out to be too large.
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode(big));
        c.close();
      },
    });
    const s = await call(h, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    expect(s.status).toBe(413);
    expect(authority.counts.userToken).toBe(0);
  });

  it('400 for malformed JSON, a non-object body or a non-string deviceId', async () => {
    const h = handler();
    for (const body of ['{"deviceId":', '[1,2]', 'null', '"x"', JSON.stringify({ deviceId: 5 })]) {
      const r = await call(h, post(body));
      expect(r.status, body).toBe(400);
      expect(r.json.error.code).toBe('INVALID_BODY');
    }
  });

  it('400 for a bad username or device id (charset, length)', async () => {
    const h = handler();
    const cases: Array<[string, unknown]> = [
      ['alice bob', {}],
      ['al/ice', {}],
      ['x'.repeat(65), {}],
      ['alice', { deviceId: 'dev 1' }],
      ['alice', { deviceId: 'd'.repeat(57) }], // 57 + '@testapp' = 65 > 64
      ['', {}],
    ];
    for (const [name, body] of cases) {
      const r = await call(h, post(body, { authorization: `Bearer user:${name}` }));
      expect(r.status, `${name} ${JSON.stringify(body)}`).toBe(400);
      expect(r.json.error.code).toBe('INVALID_ID');
    }
    expect(authority.counts.userToken).toBe(0);
  });

  it('401 when authorize refuses; 500 (reported) when it throws', async () => {
    const errors: unknown[] = [];
    const h = handler({ onError: (e) => errors.push(e) });
    const r = await call(h, post({}, {}));
    expect(r.status).toBe(401);
    expect(r.json.error.code).toBe('UNAUTHORIZED');
    const throwing = handler({
      authorize: () => {
        throw new Error(`db down, secret=${APP.appClientSecret}`);
      },
      onError: (e) => errors.push(e),
    });
    const t = await call(throwing, post({}));
    expect(t.status).toBe(500);
    expect(t.json.error.code).toBe('INTERNAL');
    expect(errors).toHaveLength(1);
  });

  it('429 with Retry-After past the per-user rate limit', async () => {
    let now = 1_000_000;
    const h = handler({ rateLimit: { max: 2, windowMs: 10_000 }, now: () => now });
    expect((await call(h, post({}))).status).toBe(200);
    expect((await call(h, post({}))).status).toBe(200);
    const limited = await call(h, post({}));
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe('RATE_LIMITED');
    expect(limited.headers.get('retry-after')).toBe('10');
    // Another user has their own budget; the window ends.
    expect((await call(h, post({}, { authorization: 'Bearer user:bob' }))).status).toBe(200);
    now += 10_000;
    expect((await call(h, post({}))).status).toBe(200);
    expect(authority.counts.userToken).toBe(4);
  });

  it('502 when the vendor refuses (wrong secret) or fails; 504 when it times out; secret never echoed', async () => {
    const errors: unknown[] = [];
    const wrong = handler({ appClientSecret: 'a-wrong-secret-value', onError: (e) => errors.push(e) });
    const r = await wrong(new Request('http://localhost/', post({})));
    const text = await r.text();
    expect(r.status).toBe(502);
    expect(text).not.toContain('a-wrong-secret-value');
    expect(JSON.parse(text).error).toEqual({ code: 'UPSTREAM_FAILED', message: expect.stringContaining('TOKEN_REFUSED') });

    authority.failNext({ endpoint: 'user-token', status: 500, times: 2 });
    expect((await call(handler({ onError: (e) => errors.push(e) }), post({}))).status).toBe(502);

    authority.failNext({ endpoint: 'app-token', delayMs: 2000 });
    const slow = await call(handler({ timeoutMs: 100, onError: (e) => errors.push(e) }), post({}));
    expect(slow.status).toBe(504);
    expect(slow.json.error.code).toBe('UPSTREAM_TIMEOUT');
    expect(errors.map((e) => (e as { code: string }).code)).toEqual(['TOKEN_REFUSED', 'TOKEN_HTTP', 'TOKEN_TIMEOUT']);
  });

  it('never answers with the secret, even if the vendor hands it back as a token', async () => {
    authority.failNext({ endpoint: 'user-token', body: { code: 200, body: { access_token: APP.appClientSecret, expires_in: 60 } } });
    const r = await call(handler(), post({}));
    expect(r.status).toBe(500);
  });

  it('rejects bad options synchronously', () => {
    expect(() => handler({ authorize: undefined as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => handler({ appId: 'a/b' })).toThrow(expect.objectContaining({ code: 'INVALID_ID' }));
    expect(() => handler({ apiUrl: 'nope' })).toThrow(expect.objectContaining({ code: 'INVALID_URL' }));
    expect(() => handler({ rateLimit: { max: 0, windowMs: 1 } })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });
});
