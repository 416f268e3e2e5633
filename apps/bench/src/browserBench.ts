import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { sleep } from './pace';
import { CHROMIUM_ARGS } from '@coplay/testkit';
import { summarize, type LatencySummary } from './stats';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Stamps every WebSocket frame the page sends and receives, before any page script sees it. */
const WS_PROBE = `(() => {
  const Orig = window.WebSocket;
  const log = { sent: [], recv: [] };
  window.__ws = log;
  const now = () => performance.timeOrigin + performance.now();
  window.WebSocket = class extends Orig {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', (e) => log.recv.push(now()));
    }
    send(d) {
      log.sent.push(now());
      return super.send(d);
    }
  };
})();`;

/** Builds the two bench pages (production build, coplay from source) into a temp dir. */
async function buildPages(): Promise<string> {
  const { build } = await import('vite');
  const { sourceAliases } = await import('../../../vitest.shared');
  const root = fileURLToPath(new URL('../browser/', import.meta.url));
  const outDir = mkdtempSync(join(tmpdir(), 'coplay-bench-pages-'));
  await build({
    root,
    base: './',
    logLevel: 'warn',
    configFile: false,
    resolve: { alias: sourceAliases },
    build: { outDir, emptyOutDir: true, rollupOptions: { input: { host: join(root, 'host.html'), guest: join(root, 'guest.html') } } },
  });
  return outDir;
}

function serve(dir: string): Promise<{ url: string; server: Server }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    try {
      const body = readFileSync(join(dir, path === '/' ? 'index.html' : path));
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

async function until(page: Page, fn: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(fn).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`bench: page never satisfied ${fn}`);
    await sleep(20);
  }
}

/** Pairs each keydown with the host's next change and the frames around it; latencies in µs. */
function splitStages(keydowns: number[], sends: number[], changes: number[], recv: number[], net: number[], dispatches?: number[]) {
  const total: number[] = [];
  const stage: Record<string, number[]> = {
    'keydown → guest socket send': [],
    'guest send → host network stack (CDP)': [],
    'host network stack → page message event': [],
    'message event → input(2) changes': [],
    ...(dispatches ? { '… of which message event → coplay connection dispatch (MQTT.js)': [], '… of which dispatch → input(2) changes (coplay room)': [] } : {}),
  };
  const lastBefore = (xs: number[], t: number) => {
    let best: number | undefined;
    for (const x of xs) if (x <= t + 0.05) best = x;
    return best;
  };
  const firstAfter = (xs: number[], t: number) => xs.find((x) => x >= t - 0.05);
  let matched = 0;
  for (const k of keydowns) {
    const h = changes.find((t) => t >= k);
    const s = firstAfter(sends, k);
    if (h === undefined || s === undefined || h - k > 1000) continue;
    const r = lastBefore(recv, h);
    const n = r !== undefined ? lastBefore(net, r) : undefined;
    matched++;
    total.push((h - k) * 1000);
    stage['keydown → guest socket send']!.push((s - k) * 1000);
    if (n !== undefined) stage['guest send → host network stack (CDP)']!.push((n - s) * 1000);
    if (n !== undefined && r !== undefined) stage['host network stack → page message event']!.push((r - n) * 1000);
    if (r !== undefined) stage['message event → input(2) changes']!.push((h - r) * 1000);
    const d = dispatches && r !== undefined ? lastBefore(dispatches, h) : undefined;
    if (d !== undefined && r !== undefined && d >= r - 0.05) {
      stage['… of which message event → coplay connection dispatch (MQTT.js)']!.push((d - r) * 1000);
      stage['… of which dispatch → input(2) changes (coplay room)']!.push((h - d) * 1000);
    }
  }
  return { total, stage, matched };
}

export interface KeyToHostResult {
  presses: number;
  matched: number;
  total: LatencySummary;
  stages: Record<string, LatencySummary>;
  /** Open the guest page → the host applies its first input (production build, loopback). */
  openToFirstInputMs: number[];
  guestFramesPerPublish?: number;
  /**
   * Host page clock − guest page clock (ms) at the same instant: each page's \`timeOrigin\` (wall clock)
   * against its navigation start on the system's monotonic clock (CDP). Guest stamps are corrected by it.
   */
  clockOffsetMs: number;
  /** keydown → host input p50 (µs) of each third of the presses, in order: how much it moves within a run. */
  thirdsP50: number[];
}

/** A page's `timeOrigin` minus its navigation start on the monotonic clock CDP's timestamps use, ms. */
async function wallMinusMonotonic(page: Page, cdp: CDPSession): Promise<number> {
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const navStart = metrics.find((m) => m.name === 'NavigationStart')!.value;
  return (await page.evaluate<number>('performance.timeOrigin')) - navStart * 1000;
}

const BUTTON_A = 1 << 0;

/**
 * Two Chromium processes (so neither page is a throttled background tab): a host page running
 * `hostRoom` and a guest page running `joinRoom` + `keyboardInput`, on a broker's WebSocket URL.
 * CDP key events on the guest; stamps: keydown event (guest), WebSocket send (guest), frame received
 * by the host's network stack (CDP), WebSocket message event (host page), host input change.
 */
export async function keyToHost(wsUrl: string, presses: number, opens: number): Promise<KeyToHostResult> {
  const dir = await buildPages();
  const { url: base, server } = await serve(dir);
  const browsers: Browser[] = [];
  try {
    const launch = async () => {
      const b = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
      browsers.push(b);
      const page = await b.newPage();
      await page.addInitScript(WS_PROBE);
      return page;
    };
    const [hostPage, guestPage] = await Promise.all([launch(), launch()]);
    const room = `k${Math.random().toString(16).slice(2, 10)}`;
    const q = (id: string) => `url=${encodeURIComponent(wsUrl)}&room=${room}&id=${id}`;

    const cdp = await hostPage.context().newCDPSession(hostPage);
    const netRecv: number[] = [];
    await cdp.send('Network.enable');
    cdp.on('Network.webSocketFrameReceived', (e: { timestamp: number }) => netRecv.push(e.timestamp));
    const guestCdp = await guestPage.context().newCDPSession(guestPage);
    let guestFramesSent = 0;
    await guestCdp.send('Network.enable');
    guestCdp.on('Network.webSocketFrameSent', () => guestFramesSent++);

    await hostPage.goto(`${base}/host.html?${q(`${room}-host`)}`);
    await until(hostPage, 'window.__bench && window.__bench.invite()');
    const invite = await hostPage.evaluate<string>('window.__bench.invite()');
    await guestPage.goto(`${base}/guest.html?${q(`${room}-guest`)}#${invite}`);
    await until(guestPage, "window.__bench && window.__bench.status() === 'playing'");
    await sleep(500);

    // CDP's Network timestamps are monotonic seconds; the page's clock is timeOrigin + now().
    await cdp.send('Performance.enable');
    const metrics = await cdp.send('Performance.getMetrics');
    const navStart = metrics.metrics.find((m) => m.name === 'NavigationStart')!.value;
    const hostOrigin = await hostPage.evaluate<number>('performance.timeOrigin');
    const toEpoch = (ts: number) => hostOrigin + (ts - navStart) * 1000;

    const sentBefore = guestFramesSent;
    const guestSendsBefore = await guestPage.evaluate<number>('window.__ws.sent.length');
    for (let i = 0; i < presses; i++) {
      await guestPage.keyboard.down('j');
      await sleep(40 + Math.random() * 60);
      await guestPage.keyboard.up('j');
      await sleep(60 + Math.random() * 90);
    }
    await sleep(300);
    const guestWsSends = (await guestPage.evaluate<number>('window.__ws.sent.length')) - guestSendsBefore;
    const framesPerPublish = guestWsSends > 0 ? (guestFramesSent - sentBefore) / guestWsSends : undefined;

    // Both page clocks on one base: guest stamps + offset are host-clock stamps.
    const offset = (await wallMinusMonotonic(hostPage, cdp)) - (await wallMinusMonotonic(guestPage, guestCdp));
    const keydowns = (await guestPage.evaluate<number[]>('window.__bench.keydowns')).map((t) => t + offset);
    const sends = (await guestPage.evaluate<number[]>('window.__ws.sent')).map((t) => t + offset);
    const changes = await hostPage.evaluate<Array<[number, number]>>('window.__bench.changes');
    const recv = await hostPage.evaluate<number[]>('window.__ws.recv');
    const net = netRecv.map(toEpoch);
    const presses$ = changes.filter(([, b], i) => b & BUTTON_A && !((changes[i - 1]?.[1] ?? 0) & BUTTON_A)).map(([t]) => t);

    const dispatches = await hostPage.evaluate<number[]>('window.__bench.dispatches');
    const { total, stage, matched } = splitStages(keydowns.slice(-presses), sends, presses$, recv, net, dispatches);
    // The browser's own share of the first stage: event created (timeStamp) → first listener runs.
    const handled = (await guestPage.evaluate<number[]>('window.__bench.handled')).map((t) => t + offset);
    const kd = keydowns.slice(-presses);
    const hd = handled.slice(-presses);
    if (hd.length === kd.length) stage['… of which keydown created → first listener runs (browser)'] = kd.map((k, i) => (hd[i]! - k) * 1000);

    // Open guest link → first input accepted, on fresh guest pages.
    const openToFirstInputMs: number[] = [];
    for (let o = 0; o < Math.min(opens, 6); o++) {
      const page = await browsers[1]!.newPage();
      await page.addInitScript(WS_PROBE);
      const before = await hostPage.evaluate<number>('window.__bench.others.length');
      const t0 = Date.now();
      await page.goto(`${base}/guest.html?${q(`${room}-g${o}`)}#${invite}`, { waitUntil: 'commit' });
      let seenAt: number | undefined;
      for (let tries = 0; tries < 300 && seenAt === undefined; tries++) {
        await page.keyboard.down('k').catch(() => {});
        await sleep(15);
        await page.keyboard.up('k').catch(() => {});
        const ch = await hostPage.evaluate<Array<[number, number, number]>>('window.__bench.others');
        seenAt = ch.slice(before).find(([, b]) => b !== 0)?.[0];
      }
      if (seenAt !== undefined) openToFirstInputMs.push(seenAt - t0);
      await page.close();
    }

    return {
      presses,
      matched,
      total: summarize(total, presses),
      stages: Object.fromEntries(Object.entries(stage).map(([k, v]) => [k, summarize(v, v.length)])),
      openToFirstInputMs,
      clockOffsetMs: offset,
      thirdsP50: [0, 1, 2].map((i) => summarize(total.slice(Math.floor((i * total.length) / 3), Math.floor(((i + 1) * total.length) / 3)), 0).p50),
      ...(framesPerPublish !== undefined ? { guestFramesPerPublish: framesPerPublish } : {}),
    };
  } finally {
    for (const b of browsers) await b.close().catch(() => {});
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * After each WebSocket message, checks the demo's P2 input on a MessageChannel chain (macrotasks
 * without timer clamping) for up to 25 ms, stamping when it changes: the demo exposes the value only
 * through a getter, so this is as close as the page allows without editing it.
 */
const DEMO_WATCH = `(() => {
  window.__p2 = [];
  let last = 0;
  let until = 0;
  let running = false;
  const ch = new MessageChannel();
  const now = () => performance.timeOrigin + performance.now();
  const check = () => {
    const b = window.__coplayDemo && window.__coplayDemo.p2Input ? window.__coplayDemo.p2Input.buttons : 0;
    if (b !== last) { last = b; window.__p2.push([now(), b]); }
    if (performance.now() < until) ch.port2.postMessage(0); else running = false;
  };
  ch.port1.onmessage = check;
  const Orig = window.WebSocket;
  window.WebSocket = class extends Orig {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', () => {
        until = performance.now() + 25;
        if (!running) { running = true; ch.port2.postMessage(0); }
      });
    }
  };
})();`;

/**
 * The same measurement on the demo itself (`npm run demo`: Vite dev server, embedded Aedes broker,
 * React host page with its 120 Hz game loop and 30 Hz broadcasts), d-pad down on the guest.
 */
export async function demoKeyToHost(presses: number): Promise<Pick<KeyToHostResult, 'presses' | 'matched' | 'total' | 'stages'>> {
  const { freePort } = await import('@coplay/testkit');
  const { spawnDemo, waitForUrls } = await import('../../demo/e2e/spawnDemo');
  const port = await freePort();
  const demo = spawnDemo({ COPLAY_DEMO_PORT: String(port) });
  const browsers: Browser[] = [];
  try {
    const urls = await waitForUrls(demo);
    const launch = async (scripts: string[]) => {
      const b = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
      browsers.push(b);
      const page = await b.newPage({ viewport: { width: 1280, height: 760 } });
      for (const sc of scripts) await page.addInitScript(sc);
      return page;
    };
    const [hostPage, guestPage] = await Promise.all([launch([WS_PROBE, DEMO_WATCH]), launch([WS_PROBE])]);
    const cdp = await hostPage.context().newCDPSession(hostPage);
    const netRecv: number[] = [];
    await cdp.send('Network.enable');
    cdp.on('Network.webSocketFrameReceived', (e: { timestamp: number }) => netRecv.push(e.timestamp));
    await hostPage.goto(urls.hostUrl);
    const link = hostPage.locator('[data-testid="share-link"]');
    await link.waitFor({ timeout: 30_000 });
    let shared = '';
    for (let i = 0; i < 200 && !shared.includes('#'); i++) {
      shared = await link.inputValue();
      await sleep(50);
    }
    await guestPage.addInitScript(`window.__keydowns = []; addEventListener('keydown', (e) => window.__keydowns.push(performance.timeOrigin + e.timeStamp), { capture: true });`);
    await guestPage.goto(shared);
    await until(hostPage, `(window.__coplayDemo?.players ?? []).some((p) => p.slot === 2 && p.status === 'playing')`, 30_000);
    await sleep(1000);
    await cdp.send('Performance.enable');
    const metrics = await cdp.send('Performance.getMetrics');
    const navStart = metrics.metrics.find((m) => m.name === 'NavigationStart')!.value;
    const hostOrigin = await hostPage.evaluate<number>('performance.timeOrigin');
    const DOWN = 1 << 13;
    for (let i = 0; i < presses; i++) {
      await guestPage.keyboard.down('ArrowDown');
      await sleep(40 + Math.random() * 60);
      await guestPage.keyboard.up('ArrowDown');
      await sleep(60 + Math.random() * 90);
    }
    await sleep(300);
    const keydowns = await guestPage.evaluate<number[]>('window.__keydowns');
    const sends = await guestPage.evaluate<number[]>('window.__ws.sent');
    const p2 = await hostPage.evaluate<Array<[number, number]>>('window.__p2');
    const recv = await hostPage.evaluate<number[]>('window.__ws.recv');
    const net = netRecv.map((ts) => hostOrigin + (ts - navStart) * 1000);
    const downs = p2.filter(([, b], i) => b & DOWN && !((p2[i - 1]?.[1] ?? 0) & DOWN)).map(([t]) => t);
    const { total, stage, matched } = splitStages(keydowns.slice(-presses), sends, downs, recv, net);
    return {
      presses,
      matched,
      total: summarize(total, presses),
      stages: Object.fromEntries(Object.entries(stage).map(([k, v]) => [k, summarize(v, v.length)])),
    };
  } finally {
    for (const b of browsers) await b.close().catch(() => {});
    await demo.stop('SIGINT');
  }
}

/**
 * On the guest page, before any page script: milestones of opening the link, in ms since navigation
 * start. The WebSocket's first message is the broker's CONNACK. A guest sends its first input frame
 * (a PUBLISH on the room's `i/` topic) in the same task that handles the host's `slot`, so that send
 * stamps "seated"; every input frame's send is kept.
 */
const OPEN_PROBE = `(() => {
  const s = { wsCreated: null, wsOpen: null, connack: null, frames: [] };
  window.__open = s;
  const now = () => performance.now();
  const dec = new TextDecoder();
  // Whether a send holds a PUBLISH to an input topic (fixed header, remaining length, 2-byte topic
  // length, topic), looking at every MQTT packet in it.
  const hasFrame = (d) => {
    const b = d instanceof ArrayBuffer ? new Uint8Array(d) : ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : undefined;
    for (let p = 0; b && p + 1 < b.length; ) {
      let i = p + 1, len = 0, mul = 1;
      do { len += (b[i] & 0x7f) * mul; mul *= 128; } while (b[i++] & 0x80 && i < p + 5);
      if (b[p] >> 4 === 3 && dec.decode(b.subarray(i + 2, i + 2 + ((b[i] << 8) | b[i + 1]))).includes('/i/')) return true;
      p = i + len;
    }
    return false;
  };
  const Orig = window.WebSocket;
  window.WebSocket = class extends Orig {
    constructor(...a) {
      super(...a);
      if (s.wsCreated === null) s.wsCreated = now();
      this.addEventListener('open', () => { if (s.wsOpen === null) s.wsOpen = now(); });
      this.addEventListener('message', () => { if (s.connack === null) s.connack = now(); });
    }
    send(d) {
      const t = now();
      if (hasFrame(d)) s.frames.push(t);
      return super.send(d);
    }
  };
})();`;

/** Milestones of one open, in ms since the guest page's navigation start. */
export interface OpenMilestones {
  /** The bench's `goto` call, relative to navigation start (negative: before it). */
  gotoCall: number;
  htmlReceived: number;
  domContentLoaded: number;
  configFetched: number;
  tokenRequested: number;
  tokenFetched: number;
  webSocketCreated: number;
  webSocketOpen: number;
  mqttConnected: number;
  /** The guest's first input frame, sent as it handles the host's `slot`. */
  joined: number;
  /** The guest's last input frame sent before the host applied its input. */
  inputSent: number;
  hostApplied: number;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface DemoOpenResult {
  opens: number;
  milestones: OpenMilestones[];
  /** Stage → duration of each open, ms, in {@link OPEN_STAGES} order. */
  stages: Record<string, number[]>;
  stageSummary: Record<string, Spread>;
  /** Navigation start → the host applies the input, ms. */
  total: Spread;
}

function spread(xs: readonly number[]): Spread {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (!s.length) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  const mid = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  return { median: mid, min: s[0]!, max: s[s.length - 1]! };
}

/** The milestones in the order a guest page reaches them. */
export const OPEN_STAGES: Array<[string, keyof OpenMilestones]> = [
  ['navigation start → HTML received', 'htmlReceived'],
  ['→ scripts loaded and run (DOMContentLoaded)', 'domContentLoaded'],
  ['→ /api/config fetched', 'configFetched'],
  ['→ /api/token requested (the page creates its connection)', 'tokenRequested'],
  ['→ /api/token fetched (MQTT credentials minted)', 'tokenFetched'],
  ['→ WebSocket created (MQTT.js client set up)', 'webSocketCreated'],
  ['→ WebSocket open (handshake)', 'webSocketOpen'],
  ['→ MQTT connected (CONNACK)', 'mqttConnected'],
  ['→ seated as P2: first input frame sent (room handshake)', 'joined'],
  ['→ input frame carrying the key sent', 'inputSent'],
  ['→ host applies it (P2 input changes)', 'hostApplied'],
];

/**
 * Open guest link → first input accepted by the host, on the demo's production build
 * (`npm run demo -- --prod`): for each open a host page (its own Chromium) opens a fresh room, and a
 * fresh browser context in a second Chromium opens the room's share link while CDP holds d-pad down
 * (a key-down every 10 ms from before navigation); the time runs until the host's P2 input changes.
 */
export async function demoOpenToFirstInput(opens: number): Promise<DemoOpenResult> {
  const { freePort } = await import('@coplay/testkit');
  const { spawnDemo, waitForUrls } = await import('../../demo/e2e/spawnDemo');
  // The demo's production build takes MQTT.js as @coplay/core's browser build ships it once that is built
  // (apps/demo/vite.config.ts): build it first, so this measures what a deployment serves.
  if (!existsSync(fileURLToPath(new URL('../../../packages/core/dist/browser/mqtt.js', import.meta.url)))) {
    console.log('bench: building @coplay/core (its browser build) for the demo production build');
    execFileSync('npm', ['run', 'build', '--workspace', '@coplay/core'], { cwd: fileURLToPath(new URL('../../..', import.meta.url)), stdio: 'ignore' });
  }
  const demo = spawnDemo({ COPLAY_DEMO_PORT: String(await freePort()) }, ['--prod']);
  const browsers: Browser[] = [];
  try {
    const urls = await waitForUrls(demo, 90_000);
    const [hostBrowser, guestBrowser] = await Promise.all(
      [0, 1].map(async () => {
        const b = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
        browsers.push(b);
        return b;
      }),
    );
    const hostPage = await hostBrowser!.newPage({ viewport: { width: 1280, height: 760 } });
    await hostPage.addInitScript(DEMO_WATCH);
    const hostCdp = await hostPage.context().newCDPSession(hostPage);
    const milestones: OpenMilestones[] = [];
    for (let o = 0; o < opens; o++) {
      await hostPage.goto(urls.hostUrl.replace(/room=\w+/, `room=open${o}${Date.now().toString(36)}`));
      const link = hostPage.locator('[data-testid="share-link"]');
      await link.waitFor({ timeout: 30_000 });
      let shared = '';
      for (let i = 0; i < 200 && !shared.includes('#'); i++) {
        shared = await link.inputValue();
        if (!shared.includes('#')) await sleep(50);
      }
      await sleep(300); // the host page settles (retained presence published, first renders done)

      const context = await guestBrowser!.newContext({ viewport: { width: 1280, height: 760 } });
      try {
        const page = await context.newPage();
        await page.addInitScript(OPEN_PROBE);
        const cdp = await context.newCDPSession(page);
        let holding = true;
        const hold = (async () => {
          for (let n = 0; holding; n++) {
            await cdp
              .send('Input.dispatchKeyEvent', { type: 'keyDown', key: 'ArrowDown', code: 'ArrowDown', windowsVirtualKeyCode: 40, autoRepeat: n > 0 })
              .catch(() => {});
            await sleep(10);
          }
        })();
        const gotoAt = Date.now();
        await page.goto(shared, { waitUntil: 'commit' });
        const origin = await page.evaluate<number>('performance.timeOrigin');
        let applied: number | undefined;
        for (let tries = 0; tries < 600 && applied === undefined; tries++) {
          await sleep(25);
          const p2 = await hostPage.evaluate<Array<[number, number]>>('window.__p2');
          applied = p2.find(([t, b]) => t >= origin && b !== 0)?.[0];
        }
        holding = false;
        await hold;
        if (applied === undefined) throw new Error(`bench: open ${o}: the host never applied the guest's input`);
        // The host's stamp on the guest page's clock (see keyToHost's clock offset).
        applied -= (await wallMinusMonotonic(hostPage, hostCdp)) - (await wallMinusMonotonic(page, cdp));
        const g = await page.evaluate<{
          nav: { responseEnd: number; domContentLoadedEventEnd: number };
          res: Array<{ name: string; startTime: number; responseEnd: number }>;
          open: { wsCreated: number | null; wsOpen: number | null; connack: number | null; frames: number[] };
        }>(`({
          nav: performance.getEntriesByType('navigation')[0].toJSON(),
          res: performance.getEntriesByType('resource').map((e) => ({ name: e.name, startTime: e.startTime, responseEnd: e.responseEnd })),
          open: window.__open,
        })`);
        const entry = (path: string) => g.res.find((r) => new URL(r.name).pathname === path);
        const hostApplied = applied - origin;
        milestones.push({
          gotoCall: gotoAt - origin,
          htmlReceived: g.nav.responseEnd,
          domContentLoaded: g.nav.domContentLoadedEventEnd,
          configFetched: entry('/api/config')?.responseEnd ?? Number.NaN,
          tokenRequested: entry('/api/token')?.startTime ?? Number.NaN,
          tokenFetched: entry('/api/token')?.responseEnd ?? Number.NaN,
          webSocketCreated: g.open.wsCreated ?? Number.NaN,
          webSocketOpen: g.open.wsOpen ?? Number.NaN,
          mqttConnected: g.open.connack ?? Number.NaN,
          joined: g.open.frames[0] ?? Number.NaN,
          inputSent: g.open.frames.filter((t) => t <= hostApplied).at(-1) ?? Number.NaN,
          hostApplied,
        });
      } finally {
        await context.close();
      }
    }
    // A stage is how long its milestone came after the latest one above it (0 when it was already
    // reached in parallel, e.g. the config fetched before DOMContentLoaded): the stages add up to the total.
    const stages: Record<string, number[]> = {};
    for (const [i, [name, key]] of OPEN_STAGES.entries()) {
      stages[name] = milestones.map((m) => {
        const before = Math.max(0, ...OPEN_STAGES.slice(0, i).map(([, k]) => m[k]).filter((x) => !Number.isNaN(x)));
        return Math.max(0, m[key] - before);
      });
    }
    const stageSummary = Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, spread(v)]));
    return { opens, milestones, stages, stageSummary, total: spread(milestones.map((m) => m.hostApplied)) };
  } finally {
    for (const b of browsers) await b.close().catch(() => {});
    await demo.stop('SIGINT');
  }
}
