/**
 * examples/html-guest as its README runs it: `npm start` serves the page and the token route; Chromium
 * opens the guest link of a room hosted here, joins as P2 and plays with the keyboard and the buttons.
 */
import { fileURLToPath } from 'node:url';
import { freePort, requireTool } from '@coplay/testkit';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it, onTestFailed } from 'vitest';
import { CHROMIUM_ARGS, spawnIn, startHost, startServices, type ExampleServices, type Spawned } from '../testing';

const dir = fileURLToPath(new URL('.', import.meta.url));
const browserTool = requireTool('chromium');
let services: ExampleServices;
let server: Spawned;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  services = await startServices();
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = spawnIn(dir, 'node', ['server.mjs'], { ...services.env, PORT: String(port) }); // = npm start
  await server.waitFor(/guest page on http/);
  if (browserTool.available) browser = await chromium.launch({ executablePath: browserTool.path!, args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await services?.close();
});

it.skipIf(!browserTool.available)('the plain HTML page joins as P2 over the ESM build and the host reads its input', async () => {
  const host = await startHost(services, 'htmlroom');
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    const loaded: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
    page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
    page.on('request', (r) => loaded.push(new URL(r.url()).pathname));
    onTestFailed(async () => console.error('page errors:', errors, '\nserver:', server.output(), '\nloaded:', loaded.slice(-5), await page.locator('body').innerText()));
    await page.goto(`${origin}/${host.guestPath}`);
    await expect.poll(() => page.locator('#status').innerText(), { timeout: 20_000 }).toBe('playing as P2');
    // The ESM build itself, resolved by the import map (no bundle).
    expect(loaded).toContain('/node_modules/@coplay/core/dist/index.js');
    expect(loaded).toContain('/node_modules/mqtt/dist/mqtt.esm.js');

    await page.keyboard.down('ArrowRight');
    await expect.poll(() => host.pressed('RIGHT'), { timeout: 10_000 }).toBe(true);
    await page.keyboard.up('ArrowRight');
    await expect.poll(() => host.p2Buttons(), { timeout: 10_000 }).toBe(0);

    const a = page.locator('[data-button="A"]');
    await a.hover();
    await page.mouse.down();
    await expect.poll(() => host.pressed('A'), { timeout: 10_000 }).toBe(true);
    await page.mouse.up();
    await expect.poll(() => host.p2Buttons(), { timeout: 10_000 }).toBe(0);
    expect(errors).toEqual([]);
  } finally {
    await host.close();
  }
});
