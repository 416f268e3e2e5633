/**
 * examples/nuxt as its README runs it: `npm run build`, then `npm start` with the services' variables,
 * on Node 22 (Nuxt 4.5 needs ≥ 22.19; CI's comes from `npm run setup:runtimes`). The token server route
 * answers on createTokenHandler, server rendering opens no socket, and the page joins a room hosted here
 * as P2 from Chromium.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, requireTool } from '@coplay/testkit';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRuntime } from '../../tests/runtimes/runtimes';
import { CHROMIUM_ARGS, spawnIn, startHost, startServices, type ExampleServices, type Spawned } from '../testing';

const dir = fileURLToPath(new URL('.', import.meta.url));
const browserTool = requireTool('chromium');
const node22 = findRuntime('node22');
if (!node22.path && process.env.CI === 'true') throw new Error(`the Nuxt example needs Node 22 in CI: ${node22.reason}`);

describe.skipIf(!node22.path)('Nuxt example', () => {
  let services: ExampleServices;
  let server: Spawned;
  let browser: Browser | undefined;
  let origin: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    services = await startServices();
    env = { ...services.env, PATH: `${dirname(node22.path!)}:${process.env.PATH}` };
    const build = spawnIn(dir, 'npm', ['run', 'build'], env);
    expect(await build.exited, build.output()).toBe(0);
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    server = spawnIn(dir, 'npm', ['start'], {
      ...env,
      HOST: '127.0.0.1',
      PORT: String(port),
      NUXT_PUBLIC_BROKER_URL: services.env.COPLAY_BROKER_WS_URL!,
    });
    await server.waitFor(/Listening on/);
    if (browserTool.available) browser = await chromium.launch({ executablePath: browserTool.path!, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await services?.close();
  });

  it('server rendering renders the page with @coplay/vue and opens no socket', async () => {
    const response = await fetch(`${origin}/`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('coplay guest (Nuxt)');
    // CoplayPlugin's connection exists on the server, idle: nothing connects, nothing fetches a token.
    expect(html).toContain('Connection: <strong data-testid="connection">idle</strong>');
    expect(services.broker.count('connect')).toBe(0);
    expect(services.authority.counts.userToken).toBe(0);
    expect(html).not.toContain(services.env.EASEMOB_CLIENT_SECRET);
  });

  it('the token server route is createTokenHandler: POST gives this device a token, GET is refused', async () => {
    const ok = await fetch(`${origin}/api/coplay-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId: 'nuxttest1' }),
    });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ username: 'guest_nuxttest1', clientId: `nuxttest1@${services.env.EASEMOB_APP_ID}` });
    expect(typeof body.password).toBe('string');
    const get = await fetch(`${origin}/api/coplay-token`);
    expect(get.status).toBe(405);
  });

  it.skipIf(!browserTool.available)('the page joins a room as P2 and the host reads its keys', async () => {
    const host = await startHost(services, 'nuxtroom');
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
      // Only the test's host and the browser ever connected: never the Nuxt server.
      const clients = new Set(services.broker.events.filter((e) => e.type === 'connect').map((e) => e.clientId));
      expect(clients.size).toBe(2);
    } finally {
      await host.close();
    }
  });
});
