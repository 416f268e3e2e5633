/**
 * @coplay/core (the built package) under every runtime it promises: Node 20 (this process's node),
 * Node 22, Bun and Deno from their npm packages (`npm run setup:runtimes`), and Chromium on a page built
 * by Vite. Each connects to the embedded broker over TCP and WebSocket (the browser: WebSocket), publishes
 * and receives, and runs a host room and a guest room. With CI=true a missing runtime fails.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, requireTool, startBroker, type EmbeddedBroker } from '@coplay/testkit';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRuntime, type Runtime } from './runtimes';

const here = fileURLToPath(new URL('.', import.meta.url));
const coreDist = fileURLToPath(new URL('../../packages/core/dist/index.js', import.meta.url));


const TRANSPORT_CHECKS = [
  'tcp: connect, subscribe, publish qos 1, receive',
  'tcp: host room + guest room, P2 presses and releases A',
  'ws: connect, subscribe, publish qos 1, receive',
  'ws: host room + guest room, P2 presses and releases A',
];

let broker: EmbeddedBroker;

beforeAll(async () => {
  if (!existsSync(coreDist)) throw new Error('packages/core/dist is missing: `npm run test:runtimes` builds it first');
  broker = await startBroker({ ws: true, record: false });
});
afterAll(() => broker?.close());

interface RunResult {
  code: number | null;
  output: string;
  result?: { runtime: string; passed: string[] };
}

function runScenario(runtime: Runtime, urls: [tcp: string, ws: string] = [broker.url, broker.wsUrl!]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(runtime.path!, [...runtime.args, 'run.mjs', ...urls], {
      cwd: here,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    // A hung runtime must not hang the suite: the scenario's own steps time out after 15 s each.
    const killer = setTimeout(() => child.kill('SIGKILL'), 110_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(killer);
      const line = output.split('\n').find((l) => l.startsWith('RESULT '));
      resolve({ code, output, result: line ? JSON.parse(line.slice('RESULT '.length)) : undefined });
    });
  });
}

const runtimes: Array<[label: string, runtime: Runtime, version: RegExp]> = [
  ['Node 20', { name: 'node', path: process.execPath, args: [] }, /^node v20\./],
  ['Node 22', findRuntime('node22'), /^node v22\./],
  ['Bun', findRuntime('bun'), /^bun 1\./],
  ['Deno', findRuntime('deno'), /^deno 2\./],
];

describe.each(runtimes)('%s', (label, runtime, version) => {
  if (!runtime.path && process.env.CI === 'true') {
    it(`is installed (CI=true)`, () => {
      throw new Error(`${label} is required in CI: ${runtime.reason}`);
    });
    return;
  }
  if (!runtime.path) console.warn(`[runtime tests] skipping ${label}: ${runtime.reason}`);
  it.skipIf(!runtime.path)('connects over TCP and WebSocket, publishes and receives, hosts and joins a room', async () => {
    const { code, output, result } = await runScenario(runtime);
    expect(code, output).toBe(0);
    expect(result?.runtime).toMatch(version);
    expect(result?.passed).toEqual(TRANSPORT_CHECKS);
  }, 120_000);
});

// @coplay/core's browser build (the `browser` export: MQTT.js's client over the runtime's own WebSocket)
// outside a browser too: Node 22 has a WebSocket of its own, and `--conditions=browser` picks that export.
describe('Node 22, browser build (--conditions=browser)', () => {
  const node22 = findRuntime('node22');
  if (!node22.path && process.env.CI === 'true') {
    it('is installed (CI=true)', () => {
      throw new Error(`Node 22 is required in CI: ${node22.reason}`);
    });
    return;
  }
  it.skipIf(!node22.path)('connects over WebSocket, publishes and receives, hosts and joins a room', async () => {
    const { code, output, result } = await runScenario({ ...node22, args: [...node22.args, '--conditions=browser'] }, ['', broker.wsUrl!]);
    expect(code, output).toBe(0);
    expect(result?.runtime).toMatch(/^node v22\./);
    expect(result?.passed).toEqual(TRANSPORT_CHECKS.slice(2));
  }, 120_000);
});

describe('Chromium (Vite build)', () => {
  const browserTool = requireTool('chromium');
  let server: Server | undefined;
  let pageUrl = '';

  beforeAll(async () => {
    if (!browserTool.available) return;
    const outDir = join(here, 'browser/dist');
    await build({ root: join(here, 'browser'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    // Vite takes @coplay/core's `browser` export: the page carries none of MQTT.js's browser bundle.
    const bundle = readdirSync(join(outDir, 'assets')).map((f) => readFileSync(join(outDir, 'assets', f), 'utf8')).join('\n');
    if (bundle.includes('browserStreamBuilder')) throw new Error('the page bundled MQTT.js\'s browser bundle, not @coplay/core\'s browser build');
    const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const file = join(outDir, path === '/' ? 'index.html' : path);
      if (!file.startsWith(outDir) || !existsSync(file)) {
        res.statusCode = 404;
        return res.end();
      }
      res.setHeader('content-type', types[extname(file)] ?? 'application/octet-stream');
      res.end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    pageUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  }, 120_000);
  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it.skipIf(!browserTool.available)('connects over WebSocket, publishes and receives, hosts and joins a room', async () => {
    const browser = await chromium.launch({ executablePath: browserTool.path!, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${pageUrl}?ws=${encodeURIComponent(broker.wsUrl!)}`);
      const result = await page.evaluate(() => (window as unknown as { __coplayRuntime: Promise<unknown> }).__coplayRuntime);
      expect(result, JSON.stringify(result)).toMatchObject({ ok: true, passed: TRANSPORT_CHECKS.slice(2) });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
