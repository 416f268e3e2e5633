/**
 * `npm run demo -- --prod` end to end: the demo builds its pages (`vite build`), serves the build
 * with the same embedded broker and token API, and a guest opened from the host's share link plays
 * P2 in Debian's chromium (playwright-core).
 */
import { CHROMIUM_ARGS, freePort, requireTool } from '@coplay/testkit';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { spawnDemo, waitForUrls, type SpawnedDemo } from './spawnDemo';

const browserTool = requireTool('chromium');

type DemoWindow = Window & {
  __coplayDemo?: { game?: { paddles: [number, number] }; p2Input?: { buttons: number } };
};

const testId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);
const text = async (page: Page, id: string) => ((await testId(page, id).count()) ? await testId(page, id).innerText() : '');
const hostP2 = (page: Page) => page.evaluate(() => (window as DemoWindow).__coplayDemo?.game?.paddles[1] ?? Number.NaN);
const DPAD_DOWN = 1 << 13;

describe.skipIf(!browserTool.available)('demo production build in a real browser (npm run demo -- --prod)', () => {
  let demo: SpawnedDemo;
  let browser: Browser;
  let urls: { hostUrl: string; guestUrl: string };
  const errors: string[] = [];

  beforeAll(async () => {
    demo = spawnDemo(
      {
        COPLAY_DEMO_PORT: String(await freePort()),
        // A static build would bake these in; --prod must serve pages that use this process's broker.
        COPLAY_PUBLIC_BROKER_URL: 'ws://127.0.0.1:9/nowhere',
        COPLAY_PUBLIC_TOKEN_URL: 'http://127.0.0.1:9/nowhere',
      },
      ['--prod'],
    );
    urls = await waitForUrls(demo, 90_000);
    browser = await chromium.launch({ executablePath: browserTool.path!, args: CHROMIUM_ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    expect(await demo?.stop('SIGINT')).toBe(0);
  }, 30_000);

  async function open(url: string, name: string): Promise<Page> {
    // A context per page: nothing cached or stored is shared, as with two people's browsers.
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 760 } })).newPage();
    page.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${name} console: ${m.text()}`);
    });
    await page.goto(url);
    return page;
  }

  it('serves the built pages, not the dev server’s modules', async () => {
    expect(demo.output()).toContain('production build');
    for (const url of [urls.hostUrl, urls.guestUrl]) {
      const html = await (await fetch(url)).text();
      expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/[\w-]+\.js">/);
      expect(html).not.toContain('/src/');
      expect(html).not.toContain('/@vite/client');
    }
    // Every script the pages load (entries and their preloaded chunks) asks /api/config instead.
    const html = (await Promise.all([urls.hostUrl, urls.guestUrl].map(async (u) => (await fetch(u)).text()))).join('\n');
    const scripts = [...new Set([...html.matchAll(/(?:src|href)="(\/assets\/[\w.-]+\.js)"/g)].map((m) => m[1]!))];
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    for (const s of scripts) expect(await (await fetch(new URL(s, urls.hostUrl))).text()).not.toContain('127.0.0.1:9/nowhere');
    // The same token API as in dev mode, behind the same /api path.
    const config = (await (await fetch(new URL('/api/config', urls.hostUrl))).json()) as { brokerUrl: string; tokenUrl: string };
    expect(config.tokenUrl).toBe('/api/token');
    expect(config.brokerUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
  });

  it('a guest opened from the host’s share link drives P2 on the host', async () => {
    onTestFailed(() => console.error(`browser errors:\n${errors.join('\n')}\n\ndemo output:\n${demo.output()}`));
    const host = await open(urls.hostUrl, 'host');
    await expect.poll(() => text(host, 'connection-state'), { timeout: 20_000 }).toBe('connected');
    const link = testId(host, 'share-link');
    await expect.poll(async () => ((await link.count()) ? await link.inputValue() : ''), { timeout: 20_000 }).toContain('#r=');
    const guest = await open(await link.inputValue(), 'guest');
    await expect.poll(() => text(guest, 'slot'), { timeout: 20_000 }).toBe('P2');
    expect(await text(guest, 'host-verified')).toBe('verified ✓');
    await expect.poll(() => text(host, 'player-status-2'), { timeout: 20_000 }).toBe('playing');

    const before = await hostP2(host);
    await guest.keyboard.down('ArrowDown');
    await expect
      .poll(() => host.evaluate(() => (window as DemoWindow).__coplayDemo?.p2Input?.buttons ?? 0), { timeout: 10_000 })
      .toBe(DPAD_DOWN);
    await expect.poll(() => hostP2(host), { timeout: 10_000 }).toBeGreaterThan(before + 60);
    await guest.keyboard.up('ArrowDown');
    await expect.poll(() => testId(host, 'p2-controller').getAttribute('data-buttons'), { timeout: 5_000 }).toBe('0');

    expect(errors).toEqual([]);
    await Promise.all([guest.context().close(), host.context().close()]);
  }, 90_000);
});
