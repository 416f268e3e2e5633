import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

export interface GuestPageWeight {
  /** Gzipped bytes of every JS and CSS file the demo's guest.html loads. */
  gzipBytes: number;
  files: number;
  /** False when the build fell back to MQTT.js's own browser bundle (@coplay/core not built). */
  lean: boolean;
}

const demoRoot = fileURLToPath(new URL('../../demo', import.meta.url));

/**
 * The demo guest page's weight as issue 13 counts it: `vite build` of apps/demo into a temporary
 * directory, then every JS and CSS file guest.html loads (entry, preloaded chunks, styles), each
 * gzipped (zlib level 9), summed — the files apps/demo/.size-limit.js measures.
 */
export async function guestPageWeight(): Promise<GuestPageWeight> {
  const outDir = await mkdtemp(join(tmpdir(), 'coplay-bench-guest-'));
  try {
    await build({ root: demoRoot, configFile: join(demoRoot, 'vite.config.ts'), logLevel: 'error', clearScreen: false, build: { outDir, emptyOutDir: true } });
    const html = await readFile(join(outDir, 'guest.html'), 'utf8');
    const files = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => join(outDir, m[1]!));
    let gzipBytes = 0;
    let lean = true;
    for (const f of files) {
      const body = await readFile(f);
      if (body.includes('browserStreamBuilder')) lean = false;
      gzipBytes += gzipSync(body, { level: 9 }).length;
    }
    return { gzipBytes, files: files.length, lean };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
