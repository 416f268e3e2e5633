import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import vue from '@vitejs/plugin-vue';
import { defaultClientConditions, defineConfig } from 'vite';
import { sourceAliases } from '../../vitest.shared.ts';
import { buildTimePublicConfig } from './scripts/demoConfig.ts';

const page = (name: string) => fileURLToPath(new URL(name, import.meta.url));

/**
 * Pages import the coplay packages from source, so `npm run demo` needs no build. A production build
 * also takes MQTT.js as @coplay/core's browser build ships it (`dist/browser/mqtt.js`: MQTT.js's client
 * over the browser's WebSocket, without its other transports and Node's stream library; see
 * packages/core/src/connection/browser), so it needs @coplay/core built first (turbo does that). The
 * dev server keeps MQTT.js's own browser bundle.
 */
const leanMqtt = fileURLToPath(new URL('../../packages/core/dist/browser/mqtt.js', import.meta.url));

export default defineConfig(({ command }) => {
  const build = command === 'build';
  if (build && !existsSync(leanMqtt)) {
    throw new Error(`${leanMqtt} is missing: build @coplay/core first (npm run build -w @coplay/core)`);
  }
  return {
    // The guest page's components use setup() only: Vue's Options API support stays out of the bundle.
    plugins: [react(), vue({ features: { optionsAPI: false } })],
    resolve: {
      // rxjs's ES2015 build: native classes instead of ES5 ones with tslib helpers (same code otherwise).
      conditions: ['es2015', ...defaultClientConditions],
      alias: [
        ...Object.entries(sourceAliases).map(([find, replacement]) => ({ find, replacement })),
        // Exactly `mqtt` (coplay's only MQTT.js import), not `mqtt/…`.
        ...(build ? [{ find: /^mqtt$/, replacement: leanMqtt }] : []),
      ],
    },
    define: {
      // Only an allow-listed, public subset of the environment is baked in (see demoConfig.ts).
      __COPLAY_PUBLIC_CONFIG__: JSON.stringify(buildTimePublicConfig(process.env)),
    },
    build: {
      rollupOptions: { input: { host: page('index.html'), guest: page('guest.html') } },
    },
  };
});
