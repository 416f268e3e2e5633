import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { reportOptions } from '../vitest.shared.ts';

// The examples' tests run their README commands (npm scripts, next/nuxt builds and servers) against local
// services; the examples import the packed @coplay packages from examples/.packs (`npm run examples:pack`).
export default defineConfig({
  test: {
    ...reportOptions('examples'),
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['*/*.test.ts'],
    environment: 'node',
    // One example at a time: the Next.js and Nuxt production builds take both cores, and node-bot's host
    // rightly takes a guest silent for 200 ms (two keyframes) as interrupted, which a starved bot can be.
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 400_000,
  },
});
