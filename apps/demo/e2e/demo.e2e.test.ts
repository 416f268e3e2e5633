/**
 * The demo end to end in a real browser: `npm run demo` (spawned), Debian's chromium driven by
 * playwright-core, a host page and a guest page talking through the embedded broker.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, freePort, requireTool } from '@coplay/testkit';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { spawnDemo, waitForUrls, type SpawnedDemo } from './spawnDemo';

const browserTool = requireTool('chromium');
const artifacts = fileURLToPath(new URL('../../../test-artifacts/demo', import.meta.url));

type DemoWindow = Window & {
  __coplayDemo?: {
    game?: { paddles: [number, number]; score: [number, number]; tick: number };
    p2Input?: { buttons: number };
    input?: { buttons: number };
    connection?: string;
  };
};

const testId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);
const text = async (page: Page, id: string) => ((await testId(page, id).count()) ? await testId(page, id).innerText() : '');
const hostP2 = (page: Page) => page.evaluate(() => (window as DemoWindow).__coplayDemo?.game?.paddles[1] ?? Number.NaN);
const guestP2 = (page: Page) => page.evaluate(() => (window as DemoWindow).__coplayDemo?.game?.paddles[1] ?? Number.NaN);
const hostTick = (page: Page) => page.evaluate(() => (window as DemoWindow).__coplayDemo?.game?.tick ?? Number.NaN);
const localButtons = (page: Page) => page.evaluate(() => (window as DemoWindow).__coplayDemo?.input?.buttons ?? 0);

describe.skipIf(!browserTool.available)('demo in a real browser', () => {
  let demo: SpawnedDemo;
  let browser: Browser;
  let urls: { hostUrl: string; guestUrl: string };
  let api: string;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    rmSync(artifacts, { recursive: true, force: true });
    mkdirSync(artifacts, { recursive: true });
    const port = await freePort();
    demo = spawnDemo({ COPLAY_DEMO_PORT: String(port), COPLAY_DEMO_TEST_HOOKS: '1' });
    urls = await waitForUrls(demo);
    api = `http://127.0.0.1:${port}/api/__test`;
    browser = await chromium.launch({ executablePath: browserTool.path!, args: CHROMIUM_ARGS });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    const code = await demo?.stop('SIGINT');
    expect(code).toBe(0);
  }, 30_000);

  async function open(url: string, name: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    page.on('pageerror', (e) => consoleErrors.push(`${name}: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`${name} console: ${m.text()}`);
    });
    await page.goto(url);
    return page;
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(artifacts, `${name}.png`) });
  const hook = async (name: string) => {
    const res = await fetch(`${api}/${name}`, { method: 'POST' });
    expect(res.status).toBe(200);
  };

  it('P2 plays from the guest page, survives a broker outage, and leaves', async () => {
    onTestFailed(async () => {
      // What the pages and the demo process said, and what the pages looked like.
      console.error(`browser errors:\n${consoleErrors.join('\n')}\n\ndemo output:\n${demo.output()}`);
      await Promise.all(
        browser.contexts().flatMap((c) => c.pages()).map((p, i) => p.screenshot({ path: join(artifacts, `failure-${i}.png`) }).catch(() => {})),
      );
    });
    const host = await open(urls.hostUrl, 'host');
    await expect.poll(() => text(host, 'connection-state'), { timeout: 20_000 }).toBe('connected');
    await expect.poll(() => testId(host, 'share-qr').count(), { timeout: 10_000 }).toBe(1);
    // The share link (and its QR code) carry the invite in the fragment: the room and the host's key.
    const shared = await testId(host, 'share-link').inputValue();
    expect(shared).toMatch(new RegExp(`^${urls.guestUrl.replace(/[.?]/g, '\\$&')}#r=\\w+&k=[\\w-]{87}$`));

    const guest = await open(shared, 'guest');
    await expect.poll(() => text(guest, 'connection-state'), { timeout: 20_000 }).toBe('connected');
    await expect.poll(() => text(guest, 'slot'), { timeout: 20_000 }).toBe('P2');
    expect(await text(guest, 'host-verified')).toBe('verified ✓');
    expect(await testId(guest, 'host-trust').count()).toBe(0);
    await expect.poll(() => text(host, 'player-status-2'), { timeout: 20_000 }).toBe('playing');
    await expect.poll(() => text(guest, 'rtt'), { timeout: 20_000 }).toMatch(/^\d+ ms$/);
    await expect.poll(() => text(host, 'player-rtt-2'), { timeout: 20_000 }).toMatch(/^\d+ ms$/);

    // The guest holds "down": the host's P2 paddle moves down, its controller view lights d-pad down.
    const before = await hostP2(host);
    await guest.keyboard.down('ArrowDown');
    await expect.poll(() => hostP2(host), { timeout: 10_000 }).toBeGreaterThan(before + 60);
    expect(Number(await testId(host, 'p2-controller').getAttribute('data-buttons')) & (1 << 13)).not.toBe(0);
    // The guest mirrors the host's game through the broadcast channel.
    await expect.poll(async () => Math.abs((await guestP2(guest)) - (await hostP2(host))), { timeout: 10_000 }).toBeLessThan(40);
    await shot(host, '1-host-playing');
    await shot(guest, '1-guest-playing');
    await guest.keyboard.up('ArrowDown');
    // Released means released: the paddle stops.
    await expect.poll(() => testId(host, 'p2-controller').getAttribute('data-buttons'), { timeout: 5_000 }).toBe('0');

    // Broker outage: both pages say so.
    await hook('broker/stop');
    await expect.poll(() => text(host, 'connection-state'), { timeout: 15_000 }).toMatch(/^reconnecting/);
    await expect.poll(() => text(guest, 'connection-state'), { timeout: 15_000 }).toMatch(/^reconnecting/);
    // The room cannot be joined or played while the link is down: the guest page says so.
    await expect.poll(() => text(guest, 'room-status'), { timeout: 15_000 }).toBe('reconnecting…');
    await shot(host, '2-host-reconnecting');
    await shot(guest, '2-guest-reconnecting');

    // Broker back: both reconnect and play resumes (the guest pushes P2 up this time).
    await hook('broker/start');
    await expect.poll(() => text(host, 'connection-state'), { timeout: 30_000 }).toBe('connected');
    await expect.poll(() => text(guest, 'connection-state'), { timeout: 30_000 }).toBe('connected');
    await expect.poll(() => text(guest, 'slot'), { timeout: 20_000 }).toBe('P2');
    await expect.poll(() => text(host, 'player-status-2'), { timeout: 20_000 }).toBe('playing');
    const low = await hostP2(host);
    await guest.keyboard.down('ArrowUp');
    await expect.poll(() => hostP2(host), { timeout: 10_000 }).toBeLessThan(low - 60);
    await guest.keyboard.up('ArrowUp');
    await shot(host, '3-host-resumed');

    // The guest closes its tab: P2 is interrupted first, then gone.
    await guest.close({ runBeforeUnload: false });
    await expect.poll(() => text(host, 'player-status-2'), { timeout: 15_000, interval: 50 }).toBe('interrupted');
    await shot(host, '4-host-p2-interrupted');
    await expect
      .poll(async () => ((await testId(host, 'player-row-2').count()) === 0 ? 'gone' : await text(host, 'player-status-2')), {
        timeout: 20_000,
      })
      .toMatch(/^(gone|left)$/);
    await shot(host, '5-host-p2-gone');

    // Killing the broker is the point of this test: the browser logs its refused reconnects, and a
    // 60 Hz input frame written in the instant between the broker dropping the socket and the page
    // seeing the close ("already in CLOSING or CLOSED state"). Anything else is a real error.
    expect(
      consoleErrors.filter((e) => !/WebSocket connection to .* failed|WebSocket is already in CLOSING or CLOSED state/.test(e)),
    ).toEqual([]);
    await host.close();
  }, 180_000);

  it('the host kicks a guest: the guest is told, and the slot is freed', async () => {
    consoleErrors.length = 0;
    const room = `kick${Date.now().toString(36)}`;
    const host = await open(urls.hostUrl.replace(/room=\w+/, `room=${room}`), 'kick-host');
    await expect.poll(() => text(host, 'connection-state'), { timeout: 20_000 }).toBe('connected');
    await expect.poll(() => testId(host, 'share-link').count(), { timeout: 20_000 }).toBe(1);
    // A link without the invite cannot verify the host, and the page says so.
    const bare = await open(urls.guestUrl.replace(/room=\w+/, `room=${room}`), 'bare-guest');
    await expect.poll(() => testId(bare, 'host-trust').getAttribute('data-trust'), { timeout: 20_000 }).toBe('unverified');
    await bare.close();
    const guest = await open(await testId(host, 'share-link').inputValue(), 'kick-guest');
    await expect.poll(() => text(host, 'player-status-2'), { timeout: 20_000 }).toBe('playing');
    await expect.poll(() => testId(guest, 'room-status').getAttribute('data-status'), { timeout: 20_000 }).toBe('playing');

    await testId(host, 'kick-2').click();
    await expect.poll(() => testId(guest, 'room-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('kicked');
    await expect.poll(() => text(guest, 'room-status'), { timeout: 10_000 }).toContain('removed by the host');
    await expect.poll(() => text(host, 'player-status-2'), { timeout: 10_000 }).toBe('left');
    // A kicked guest's keys no longer reach the game.
    const y = await hostP2(host);
    await guest.keyboard.down('ArrowDown');
    // Explicit events, not a fixed sleep: the guest page holds the key, then the host simulates
    // another 60 ticks (half a second of game) without P2 moving.
    await expect.poll(() => localButtons(guest), { timeout: 5_000 }).not.toBe(0);
    const tick = await hostTick(host);
    await expect.poll(() => hostTick(host), { timeout: 10_000 }).toBeGreaterThan(tick + 60);
    await guest.keyboard.up('ArrowDown');
    expect(await hostP2(host)).toBe(y);
    await shot(guest, '6-guest-kicked');
    await shot(host, '6-host-after-kick');

    expect(consoleErrors).toEqual([]);
    await Promise.all([guest.close(), host.close()]);
  }, 120_000);
});
