/**
 * examples/nextjs as its README runs it: `npm run build`, then `npm start` with the services' variables.
 * The token route answers on createTokenHandler, server rendering opens no socket, and the client
 * component joins a room hosted here as P2 from Chromium.
 */
import { fileURLToPath } from 'node:url';
import { freePort, requireTool } from '@coplay/testkit';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHROMIUM_ARGS, spawnIn, startHost, startServices, type ExampleServices, type Spawned } from '../testing';

const dir = fileURLToPath(new URL('.', import.meta.url));
const browserTool = requireTool('chromium');
let services: ExampleServices;
let server: Spawned;
let browser: Browser | undefined;
let origin: string;

beforeAll(async () => {
  services = await startServices();
  const build = spawnIn(dir, 'npm', ['run', 'build'], services.env);
  expect(await build.exited, build.output()).toBe(0);
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = spawnIn(dir, 'npm', ['start', '--', '-H', '127.0.0.1', '-p', String(port)], services.env);
  await server.waitFor(/Ready in/);
  if (browserTool.available) browser = await chromium.launch({ executablePath: browserTool.path!, args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await services?.close();
});

it('server rendering renders the client component and opens no socket', async () => {
  const response = await fetch(`${origin}/`);
  expect(response.status).toBe(200);
  const html = await response.text();
  expect(html).toContain('coplay guest (Next.js)');
  // CoplayProvider's connection exists on the server, idle: nothing connects, nothing fetches a token.
  expect(html).toMatch(/Connection: (<!-- -->)?<strong data-testid="connection">idle<\/strong>/);
  expect(services.broker.count('connect')).toBe(0);
  expect(services.authority.counts.userToken).toBe(0);
  expect(html).not.toContain(services.env.EASEMOB_CLIENT_SECRET);
});

it('the token route handler is createTokenHandler: POST gives this device a token, GET is refused', async () => {
  const ok = await fetch(`${origin}/api/coplay-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ deviceId: 'nexttest1' }),
  });
  expect(ok.status).toBe(200);
  const body = (await ok.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ username: 'guest_nexttest1', clientId: `nexttest1@${services.env.EASEMOB_APP_ID}` });
  expect(typeof body.password).toBe('string');
  const get = await fetch(`${origin}/api/coplay-token`);
  expect(get.status).toBe(405);
});

it.skipIf(!browserTool.available)('the client component joins a room as P2 and the host reads its keys', async () => {
  const host = await startHost(services, 'nextroom');
  try {
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}/${host.guestPath}`);
    await expect.poll(() => page.getByTestId('status').innerText(), { timeout: 30_000 }).toBe('playing as P2');
    await expect.poll(() => page.getByTestId('connection').innerText()).toBe('connected');
    await page.keyboard.down('ArrowRight');
    await expect.poll(() => host.pressed('RIGHT'), { timeout: 10_000 }).toBe(true);
    await page.keyboard.up('ArrowRight');
    await expect.poll(() => host.p2Buttons(), { timeout: 10_000 }).toBe(0);
    expect(errors).toEqual([]);
    // Only the test's host and the browser ever connected: never the Next.js server.
    const clients = new Set(services.broker.events.filter((e) => e.type === 'connect').map((e) => e.clientId));
    expect(clients.size).toBe(2);
  } finally {
    await host.close();
  }
});
