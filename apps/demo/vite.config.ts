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
 * packages/core/src/connection/browser) once @coplay/core is built (`npm run build` builds it first);
 * before that, and in the dev server, MQTT.js's own browser bundle. `.size-limit.js` refuses the latter.
 */
const leanMqtt = fileURLToPath(new URL('../../packages/core/dist/browser/mqtt.js', import.meta.url));
/** As in @coplay/core's browser build: no Node `ws` transport (see packages/core/tsup.config.ts). */
const noNodeTransport = fileURLToPath(new URL('../../packages/core/src/connection/browser/shims/wholePacketWebSocket.ts', import.meta.url));

export default defineConfig(({ command }) => {
  const build = command === 'build' && existsSync(leanMqtt);
  if (command === 'build' && !build) {
    console.warn(`[demo] ${leanMqtt} is missing: building with MQTT.js's own browser bundle (npm run build -w @coplay/core first for the lean one)`);
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
        ...(build
          ? [
              { find: /^mqtt$/, replacement: leanMqtt },
              { find: /^\.\/wholePacketWebSocket$/, replacement: noNodeTransport },
            ]
          : []),
      ],
    },
    define: {
      // Only an allow-listed, public subset of the environment is baked in (see demoConfig.ts).
      __COPLAY_PUBLIC_CONFIG__: JSON.stringify(buildTimePublicConfig(process.env)),
    },
    build: {
      // Every browser the build targets but Safari < 17 and Firefox < 115 preloads modules natively; those
      // fetch a page's shared chunk when its entry imports it instead of ahead (0.3 kB gzipped per page).
      modulePreload: { polyfill: false },
      rollupOptions: { input: { host: page('index.html'), guest: page('guest.html') } },
    },
  };
});
