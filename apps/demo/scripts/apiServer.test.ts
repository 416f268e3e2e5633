import { get } from 'node:http';
import { startTokenAuthority, type TokenAuthority } from '@coplay/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from './apiServer';
import { createDemoTokenRoute } from './tokenRoute';

const SECRET = 'demo-secret-0123456789';
let authority: TokenAuthority | undefined;
let api: ApiServer | undefined;
afterEach(async () => {
  await api?.close();
  await authority?.close();
  api = authority = undefined;
});

async function start(testHooks?: Record<string, () => Promise<unknown>>) {
  authority = await startTokenAuthority({ appId: 'demoapp', appClientId: 'cid', appClientSecret: SECRET });
  api = await startApiServer({
    port: 0,
    publicHost: '127.0.0.1',
    config: (host) => ({ mode: 'local', brokerUrl: `ws://${host}:1234`, tokenUrl: '/api/token' }),
    token: createDemoTokenRoute({ apiUrl: authority.apiUrl, appId: 'demoapp', appClientId: 'cid', appClientSecret: SECRET }),
    ...(testHooks ? { testHooks } : {}),
  });
  return api;
}

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('demo API server', () => {
  it('serves the public config with the hostname the page used', async () => {
    const { url } = await start();
    // fetch cannot set Host; node:http can (Vite's proxy forwards the page's Host header).
    const text = await new Promise<string>((resolve, reject) => {
      get(`${url}/api/config`, { headers: { host: 'localhost:5173' } }, (res) => {
        let data = '';
        res.on('data', (c: Buffer) => (data += c.toString()));
        res.on('end', () => resolve(data));
      }).on('error', reject);
    });
    expect(JSON.parse(text)).toEqual({ mode: 'local', brokerUrl: 'ws://localhost:1234', tokenUrl: '/api/token' });
  });

  it('mints a user token the broker will accept, without revealing the secret', async () => {
    const { url } = await start();
    const res = await post(`${url}/api/token`, { name: 'alice', deviceId: 'guest-abc123' });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(SECRET);
    const body = JSON.parse(text) as { username: string; password: string; clientId: string };
    expect(body.username).toBe('alice');
    expect(body.clientId).toBe('guest-abc123@demoapp');
    expect(
      authority!.authenticate({ clientId: body.clientId, username: 'alice', password: Buffer.from(body.password) }),
    ).toBe(true);
  });

  it('accepts the name from the query string too', async () => {
    const { url } = await start();
    const res = await post(`${url}/api/token?name=bob`, {});
    expect(res.status).toBe(200);
    expect(((await res.json()) as { username: string }).username).toBe('bob');
  });

  it.each([{}, { name: '' }, { name: 'no spaces' }, { name: 'x'.repeat(33) }, { name: 42 }])(
    'refuses a missing or invalid name %j with 401',
    async (body) => {
      const { url } = await start();
      const res = await post(`${url}/api/token`, body);
      expect(res.status).toBe(401);
      expect(authority!.counts.userToken).toBe(0);
    },
  );

  it('refuses a bad device id with 400 and a JSON error', async () => {
    const { url } = await start();
    const res = await post(`${url}/api/token`, { name: 'alice', deviceId: 'a/b' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_ID');
  });

  it('has test hooks only when given, and 404s other routes', async () => {
    let calls = 0;
    const { url } = await start({ ping: async () => ({ calls: ++calls }) });
    expect(await (await fetch(`${url}/api/__test/ping`, { method: 'POST' })).json()).toEqual({ calls: 1 });
    expect((await fetch(`${url}/api/__test/nope`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${url}/api/other`)).status).toBe(404);
  });
});
