// createTokenHandler served by Node's http through @hono/node-server's getRequestListener, the
// adapter the README recommends (coplay keeps no Node adapter of its own).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { startTokenAuthority, type TokenAuthority } from '@coplay/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenHandler } from './createTokenHandler';

const APP = { appId: 'testapp', appClientId: 'client-1', appClientSecret: 'node-adapter-secret-xyz' };

let authority: TokenAuthority;
let server: Server;
let base: string;

beforeAll(async () => {
  authority = await startTokenAuthority(APP);
  const handler = createTokenHandler({
    apiUrl: authority.apiUrl,
    ...APP,
    authorize: (request) => (request.headers.get('x-user') ? { username: request.headers.get('x-user')! } : false),
  });
  const listener = getRequestListener(handler);
  server = createServer((req, res) => void listener(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await authority.close();
});

async function send(path: string, init: RequestInit = {}) {
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  expect(text).not.toContain(APP.appClientSecret);
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}

describe('createTokenHandler on node:http (getRequestListener)', () => {
  it('serves tokens the broker accepts', async () => {
    const r = await send('/api/token', { method: 'POST', headers: { 'content-type': 'application/json', 'x-user': 'alice' }, body: '{"deviceId":"t1"}' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ username: 'alice', clientId: 't1@testapp' });
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(authority.authenticate({ clientId: 't1@testapp', username: 'alice', password: Buffer.from(r.json.password) })).toBe(true);
  });

  it('passes refusals through with their status and headers: 405, 401, 413 for a streamed oversized body, 400', async () => {
    const get = await send('/api/token');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const anon = await send('/api/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(anon.status).toBe(401);
    const big = await send('/api/token', { method: 'POST', headers: { 'content-type': 'application/json', 'x-user': 'a' }, body: JSON.stringify({ pad: 'x'.repeat(5000) }) });
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe('BODY_TOO_LARGE');
    const bad = await send('/api/token', { method: 'POST', headers: { 'content-type': 'application/json', 'x-user': 'a' }, body: '{oops' });
    expect(bad.status).toBe(400);
  });
});
