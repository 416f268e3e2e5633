import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort, startTokenAuthority, type TokenAuthority } from '@coplay/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTokenHandler } from '../server/createTokenHandler';
import { getRequestListener } from '@hono/node-server';
import { endpointCredentials } from './endpointCredentials';

const APP = { appId: 'testapp', appClientId: 'client-1', appClientSecret: 'endpoint-secret-abcdef' };

let authority: TokenAuthority;
let backend: Server;
let url: string;
let answer: ((res: import('node:http').ServerResponse) => void) | undefined;
let hits = 0;

beforeAll(async () => {
  authority = await startTokenAuthority(APP);
  const tokens = getRequestListener(
    createTokenHandler({
      apiUrl: authority.apiUrl,
      ...APP,
      authorize: (request) => (request.headers.get('authorization') === 'Bearer session-ok' ? { username: 'guest-7' } : false),
    }),
  );
  // The app's own backend: the real token handler, unless a test scripts a broken answer.
  backend = createServer((req, res) => {
    hits += 1;
    if (answer) {
      req.resume();
      return answer(res);
    }
    void tokens(req, res);
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(backend.address() as AddressInfo).port}/api/coplay-token`;
});
afterAll(async () => {
  backend.closeAllConnections();
  await new Promise((r) => backend.close(r));
  await authority.close();
});
beforeEach(() => {
  answer = undefined;
  hits = 0;
  authority.resetCounts();
});

const session = { authorization: 'Bearer session-ok' };

describe('endpointCredentials against createTokenHandler over real HTTP', () => {
  it('gets { username, password, clientId } for the device, cached and single-flight', async () => {
    const credentials = endpointCredentials({ url, headers: session, body: { deviceId: 'tab-3' } });
    const all = await Promise.all(Array.from({ length: 10 }, () => credentials()));
    expect(all[0]).toMatchObject({ username: 'guest-7', clientId: 'tab-3@testapp' });
    expect(new Set(all.map((c) => c.password)).size).toBe(1);
    expect(await credentials({ attempt: 2, refresh: false })).toEqual(all[0]);
    expect(hits).toBe(1);
    expect(authority.counts.userToken).toBe(1);
    expect(credentials.state.value).toMatchObject({ status: 'valid', expiresAt: expect.any(Number) });
    const c = all[0]!;
    expect(authority.authenticate({ clientId: c.clientId!, username: c.username!, password: Buffer.from(c.password as string) })).toBe(true);
  });

  it('refresh: true asks the backend again; header and body functions run per request', async () => {
    let n = 0;
    const credentials = endpointCredentials({ url, headers: async () => session, body: () => ({ deviceId: `tab-${++n}` }) });
    const a = await credentials();
    const b = await credentials({ refresh: true });
    expect([a.clientId, b.clientId]).toEqual(['tab-1@testapp', 'tab-2@testapp']);
    expect(b.password).not.toBe(a.password);
    expect(hits).toBe(2);
  });

  it('uses expiresIn (not the server clock) and renews ahead of expiry', async () => {
    let now = 5_000; // a client clock far from the server's
    const credentials = endpointCredentials({ url, headers: session, now: () => now, refreshMarginMs: 60_000 });
    await credentials();
    expect(credentials.state.value).toMatchObject({ status: 'valid', expiresAt: 5_000 + 3_600_000 });
    now += 3_540_000 - 1;
    await credentials();
    expect(hits).toBe(1);
    now += 1;
    await credentials();
    expect(hits).toBe(2);
  });

  it('401 from the backend is TOKEN_REFUSED with the backend message', async () => {
    const credentials = endpointCredentials({ url });
    await expect(credentials()).rejects.toMatchObject({ code: 'TOKEN_REFUSED', status: 401, details: { code: 'UNAUTHORIZED', msg: 'Not authorized' } });
    expect(credentials.state.value.status).toBe('error');
  });

  it('5xx is retried, then TOKEN_HTTP; wrong shapes are TOKEN_RESPONSE; a slow backend is TOKEN_TIMEOUT', async () => {
    answer = (res) => res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"code":"BUSY","message":"later"}}');
    await expect(endpointCredentials({ url, retry: { limit: 2, delayMs: 1 } })()).rejects.toMatchObject({ code: 'TOKEN_HTTP', status: 503, details: { msg: 'later' } });
    expect(hits).toBe(3);

    for (const body of ['not json', '[]', '{"username":"u"}', '{"password":"p"}', '{"username":"u","password":"p","clientId":7}']) {
      answer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      await expect(endpointCredentials({ url })(), body).rejects.toMatchObject({ code: 'TOKEN_RESPONSE' });
    }

    answer = () => undefined; // never answers
    await expect(endpointCredentials({ url, timeoutMs: 100, retry: false })()).rejects.toMatchObject({ code: 'TOKEN_TIMEOUT' });
  });

  it('an unreachable backend is TOKEN_NETWORK; a relative url outside a browser is INVALID_URL', async () => {
    const port = await freePort();
    await expect(endpointCredentials({ url: `http://127.0.0.1:${port}/t`, retry: false })()).rejects.toMatchObject({ code: 'TOKEN_NETWORK' });
    expect(() => endpointCredentials({ url: 'http://' })).toThrow(expect.objectContaining({ code: 'INVALID_URL' }));
    // Server rendering creates the provider with the page's relative URL; only asking for a token there fails.
    const ssr = endpointCredentials({ url: '/api/token' });
    await expect(ssr()).rejects.toMatchObject({ code: 'INVALID_URL' });
  });

  it('a relative url resolves against the page once there is one (created during server rendering, used after hydration)', async () => {
    const ssr = endpointCredentials({ url: '/api/coplay-token', headers: session, retry: false });
    vi.stubGlobal('location', { href: `${new URL(url).origin}/game?room=1` });
    try {
      expect(await ssr()).toMatchObject({ username: 'guest-7' });
      expect(hits).toBe(1);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
