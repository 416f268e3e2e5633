import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { reportOptions } from '../../vitest.shared.ts';

// No source aliases: the runtimes import the BUILT @coplay/core, as an application does.
export default defineConfig({
  test: {
    ...reportOptions('runtimes'),
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
