import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { demoRoot } from './startDemo';

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('npm run build (static site)', () => {
  const outDir = mkdtemp(join(tmpdir(), 'coplay-demo-build-'));
  afterAll(async () => rm(await outDir, { recursive: true, force: true }));

  it('builds both pages, bakes in only public settings, and never the app secret', async () => {
    const secret = `SECRET-${randomBytes(16).toString('hex')}`;
    const clientId = `CLIENTID-${randomBytes(8).toString('hex')}`;
    const env = {
      // Everything a server-side Easemob setup has in its environment while the site is built...
      COPLAY_EASEMOB_API_URL: 'https://api.cn1.mqtt.chat/app/abc123',
      COPLAY_EASEMOB_APP_ID: 'abc123',
      COPLAY_EASEMOB_CLIENT_ID: clientId,
      COPLAY_EASEMOB_CLIENT_SECRET: secret,
      VITE_COPLAY_SECRET: secret, // even under Vite's own exposed prefix
      // ...and the public settings for the static pages.
      COPLAY_PUBLIC_BROKER_URL: 'wss://abc123.cn1.mqtt.chat/mqtt',
      COPLAY_PUBLIC_TOKEN_URL: 'https://backend.example.test/api/token',
    };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      await build({
        root: demoRoot,
        configFile: join(demoRoot, 'vite.config.ts'),
        logLevel: 'silent',
        build: { outDir: await outDir, emptyOutDir: true },
      });
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }

    const dir = await outDir;
    const all = await files(dir);
    const names = all.map((f) => f.slice(dir.length + 1)).sort();
    expect(names).toContain('index.html');
    expect(names).toContain('guest.html');
    const texts = await Promise.all(all.map((f) => readFile(f, 'latin1')));
    const bundle = texts.join('\n');
    // The scan is meaningful: the public settings did reach the bundle.
    expect(bundle).toContain('wss://abc123.cn1.mqtt.chat/mqtt');
    expect(bundle).toContain('https://backend.example.test/api/token');
    // Nothing secret did, and no code that could use it (the app-token REST call) was bundled.
    expect(bundle).not.toContain(secret);
    expect(bundle).not.toContain(clientId);
    expect(bundle).not.toContain('/openapi/rm/app/token');
  }, 120_000);
});
