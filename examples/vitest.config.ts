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
    testTimeout: 240_000,
    hookTimeout: 400_000,
  },
});
