import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTokenAuthority, type TokenAuthority } from '@coplay/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenHandler } from './createTokenHandler';
import { toNodeHandler } from './toNodeHandler';

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
  const echo = toNodeHandler(async (request) => {
    if (new URL(request.url).pathname !== '/echo') return handler(request);
    const headers = new Headers({ 'content-type': 'application/json' });
    headers.append('set-cookie', 'a=1');
    headers.append('set-cookie', 'b=2');
    return new Response(JSON.stringify({ url: request.url, method: request.method, body: await request.text(), x: request.headers.get('x-thing') }), { status: 201, headers });
  }, { maxBodyBytes: 16_384 });
  server = createServer(echo);
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
  return { status: res.status, headers: res.headers, text, json: text ? (JSON.parse(text)) : undefined };
}

describe('toNodeHandler through a real node:http server', () => {
  it('serves tokens from createTokenHandler', async () => {
    const r = await send('/api/token', { method: 'POST', headers: { 'content-type': 'application/json', 'x-user': 'alice' }, body: '{"deviceId":"t1"}' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ username: 'alice', clientId: 't1@testapp' });
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(authority.authenticate({ clientId: 't1@testapp', username: 'alice', password: Buffer.from(r.json.password) })).toBe(true);
  });

  it('passes refusals through with their status and headers', async () => {
    const get = await send('/api/token');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const anon = await send('/api/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(anon.status).toBe(401);
    const big = await send('/api/token', { method: 'POST', headers: { 'content-type': 'application/json', 'x-user': 'a' }, body: JSON.stringify({ pad: 'x'.repeat(5000) }) });
    expect(big.status).toBe(413);
    const bad = await send('/api/token', { method: 'POST', headers: { 'content-type': 'application/json', 'x-user': 'a' }, body: '{oops' });
    expect(bad.status).toBe(400);
  });

  it('maps url, method, headers, body, status and multiple set-cookie headers', async () => {
    const r = await send('/echo?q=1', { method: 'PUT', headers: { 'x-thing': 'yes' }, body: 'hello' });
    expect(r.status).toBe(201);
    expect(r.json).toEqual({ url: expect.stringMatching(/\/echo\?q=1$/), method: 'PUT', body: 'hello', x: 'yes' });
    expect(r.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('refuses a body over its own limit with 413 before the handler runs', async () => {
    const r = await send('/echo', { method: 'POST', body: 'x'.repeat(20_000) });
    expect(r.status).toBe(413);
    expect(r.json.error.code).toBe('BODY_TOO_LARGE');
  });

  it('works behind a body parser that already consumed the stream (Express style)', async () => {
    const inner = toNodeHandler(async (request) => new Response(JSON.stringify({ got: await request.json() }), { headers: { 'content-type': 'application/json' } }));
    const parsing = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        (req as typeof req & { body?: unknown }).body = JSON.parse(Buffer.concat(chunks).toString());
        inner(req, res);
      });
    });
    await new Promise<void>((resolve) => parsing.listen(0, '127.0.0.1', resolve));
    const res = await fetch(`http://127.0.0.1:${(parsing.address() as AddressInfo).port}/`, { method: 'POST', body: '{"deviceId":"d1"}' });
    expect(await res.json()).toEqual({ got: { deviceId: 'd1' } });
    parsing.closeAllConnections();
    await new Promise((r) => parsing.close(r));
  });

  it('answers 500 JSON when the handler throws, and the server keeps serving', async () => {
    const throwing = createServer(toNodeHandler(async () => {
      throw new Error('bug');
    }));
    await new Promise<void>((resolve) => throwing.listen(0, '127.0.0.1', resolve));
    const port = (throwing.address() as AddressInfo).port;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(500);
    throwing.closeAllConnections();
    await new Promise((r) => throwing.close(r));
    expect((await send('/echo', { method: 'POST', body: 'still up' })).json.body).toBe('still up');
  });
});
