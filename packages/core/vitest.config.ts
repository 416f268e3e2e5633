import { defineConfig } from 'vitest/config';
import { reportOptions, sourceAliases } from '../../vitest.shared.ts';

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    ...reportOptions('core'),
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // expect.poll waits for an event (a message arrives, a counter reaches a value) and returns as soon as
    // it holds; vitest's 1 s default turned slow deliveries on a loaded machine into failures.
    expect: { poll: { timeout: 15_000 } },
  },
});
