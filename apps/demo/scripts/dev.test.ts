import { createServer } from 'node:net';
import { freePort } from '@coplay/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnDemo, waitForUrls, type SpawnedDemo } from '../e2e/spawnDemo';
import { closeServer } from './listen';

let demo: SpawnedDemo | undefined;
afterEach(async () => {
  await demo?.stop('SIGKILL');
  demo = undefined;
});

async function portIsFree(port: number): Promise<boolean> {
  const s = createServer();
  return new Promise((resolve) => {
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => void closeServer(s).then(() => resolve(true)));
  });
}

describe('npm run demo (scripts/dev.ts)', () => {
  it('starts everything with one command, serves both pages, and stops cleanly on SIGINT', async () => {
    const [port, brokerWsPort] = [await freePort(), await freePort()];
    demo = spawnDemo({ COPLAY_DEMO_PORT: String(port), COPLAY_BROKER_WS_PORT: String(brokerWsPort) });
    const { hostUrl, guestUrl } = await waitForUrls(demo);
    expect(hostUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?room=[a-z0-9]+$`));
    expect(guestUrl).toBe(hostUrl.replace('/?room=', '/guest.html?room='));

    const hostHtml = await (await fetch(hostUrl)).text();
    expect(hostHtml).toContain('src/host/main.tsx');
    const guestHtml = await (await fetch(guestUrl)).text();
    expect(guestHtml).toContain('src/guest/main.ts');

    // Config and token go through Vite's proxy to the API server.
    const config = (await (await fetch(`http://127.0.0.1:${port}/api/config`)).json()) as Record<string, unknown>;
    expect(config).toEqual({ mode: 'local', brokerUrl: `ws://127.0.0.1:${brokerWsPort}`, tokenUrl: '/api/token' });
    const token = await fetch(`http://127.0.0.1:${port}/api/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'tester', deviceId: 'dev-test' }),
    });
    expect(token.status).toBe(200);
    expect(((await token.json()) as { clientId: string }).clientId).toBe('dev-test@coplaydemo');
    // Test hooks are off unless asked for.
    expect((await fetch(`http://127.0.0.1:${port}/api/__test/broker/stop`, { method: 'POST' })).status).toBe(404);

    expect(await demo.stop('SIGINT')).toBe(0);
    expect(demo.output()).toContain('coplay demo: stopped');
    expect(await portIsFree(port)).toBe(true);
    expect(await portIsFree(brokerWsPort)).toBe(true);
  }, 90_000);

  it('also stops cleanly on SIGTERM', async () => {
    demo = spawnDemo({ COPLAY_DEMO_PORT: String(await freePort()) });
    await waitForUrls(demo);
    expect(await demo.stop('SIGTERM')).toBe(0);
  }, 90_000);

  it.each([
    ['COPLAY_DEMO_PORT', 'the page server'],
    ['COPLAY_BROKER_WS_PORT', 'the MQTT broker (WebSocket)'],
  ])('a taken %s gives one clear line and exit code 1, not a stack trace', async (variable, what) => {
    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', r));
    const taken = (squatter.address() as { port: number }).port;
    try {
      const env: Record<string, string> = { COPLAY_DEMO_PORT: String(await freePort()), [variable]: String(taken) };
      demo = spawnDemo(env);
      expect(await demo.exited).toBe(1);
      const out = demo.output();
      expect(out).toContain(`127.0.0.1:${taken} is already in use, so ${what}`);
      expect(out).toContain(`${variable}=<port>`);
      expect(out).not.toMatch(/^\s+at /m);
    } finally {
      await closeServer(squatter);
    }
  }, 90_000);

  it('an unknown argument names the one it takes', async () => {
    demo = spawnDemo({ COPLAY_DEMO_PORT: '0' }, ['--prdo']);
    expect(await demo.exited).toBe(1);
    expect(demo.output()).toContain('unknown argument --prdo (the only one is --prod');
  }, 60_000);

  it('a malformed setting names the variable', async () => {
    demo = spawnDemo({ COPLAY_BROKER_PORT: 'eighty' });
    expect(await demo.exited).toBe(1);
    expect(demo.output()).toContain('COPLAY_BROKER_PORT=eighty is not a port number');
    expect(demo.output()).not.toMatch(/^\s+at /m);
  }, 60_000);
});
