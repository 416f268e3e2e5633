import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { defineConfig, type Options } from 'tsup';

const require = createRequire(import.meta.url);
const shim = (name: string) => fileURLToPath(new URL(`./src/connection/browser/shims/${name}.ts`, import.meta.url));

/**
 * The browser build's MQTT.js (`dist/browser/mqtt.js`): MQTT.js's own client over the browser's
 * WebSocket (src/connection/browser), with the modules it needs only a little of replaced by small ones
 * (each file says why), by exact import specifier. Nothing of MQTT.js itself is patched.
 */
const mqttShims: Record<string, string> = {
  'readable-stream': shim('readableStream'),
  debug: fileURLToPath(new URL('./src/connection/browser/shims/debug.cjs', import.meta.url)),
  'worker-timers': shim('workerTimers'),
  'lru-cache': shim('lruCache'),
  // mqtt-packet's parser uses bl only as a BufferList; bl's main module adds a Duplex stream on top.
  bl: require.resolve('bl/BufferList.js', { paths: [require.resolve('mqtt-packet')] }),
};

const replaceMqttShims: Plugin = {
  name: 'coplay-browser-mqtt-shims',
  setup(build) {
    build.onResolve({ filter: /^(readable-stream|debug|worker-timers|lru-cache|bl)$/ }, (args) => ({ path: mqttShims[args.path]! }));
    // MQTT.js reads its version from its package.json (`MqttClient.VERSION`); bundle that field, not the file.
    build.onResolve({ filter: /\/package\.json$/ }, (args) =>
      /[\\/]mqtt[\\/]build[\\/]lib$/.test(args.resolveDir) ? { path: 'mqtt/package.json', namespace: 'mqtt-version' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'mqtt-version' }, () => ({
      contents: JSON.stringify({ version: (require('mqtt/package.json') as { version: string }).version }),
      loader: 'json',
    }));
  },
};

/**
 * `dist/browser/index.js` imports `mqtt` as the browser build's own `./mqtt.js`, and has no Node `ws`
 * transport (src/connection/wholePacketWebSocket.ts): browserMqtt sends whole packets already.
 */
const mqttFromBrowserBuild: Plugin = {
  name: 'coplay-browser-mqtt',
  setup(build) {
    build.onResolve({ filter: /^mqtt$/ }, () => ({ path: './mqtt.js', external: true }));
    build.onResolve({ filter: /^\.\/wholePacketWebSocket$/ }, () => ({ path: shim('wholePacketWebSocket') }));
  },
};

/** What the three builds share. */
const common = { sourcemap: true, target: 'es2022', tsconfig: 'tsconfig.build.json' } satisfies Options;
/** What the two browser builds share: ESM only; types and cleaning `dist` are the Node build's. */
const browser = { ...common, format: 'esm', dts: false, clean: false, platform: 'browser' } satisfies Options;

export default defineConfig([
  {
    ...common,
    entry: { index: 'src/index.ts', 'server/index': 'src/server/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    // The three builds run at once: this one must not delete what the browser builds write.
    clean: ['!browser/**'],
    external: ['rxjs', 'mqtt', 'ky'],
    // mqtt-match (20 lines) is CommonJS only: bundled, so the ESM build also loads in a browser without a
    // bundler (import map) and in Deno from a URL. It is a devDependency for that reason.
    noExternal: ['mqtt-match'],
  },
  {
    // Browsers (the `browser` condition of `exports`): the same code, with `mqtt` as ./mqtt.js below.
    ...browser,
    entry: { 'browser/index': 'src/index.ts' },
    external: ['rxjs', 'ky', '@noble/hashes'],
    // `mqtt` is not external here: mqttFromBrowserBuild points it at ./mqtt.js.
    noExternal: ['mqtt-match', 'mqtt'],
    esbuildPlugins: [mqttFromBrowserBuild],
  },
  {
    // MQTT.js's client, mqtt-packet and the Buffer / events / process shims they need, bundled; no
    // other transport (TCP, TLS, ws, WeChat, Alipay) and no Node stream library.
    ...browser,
    entry: { 'browser/mqtt': 'src/connection/browser/browserMqtt.ts' },
    noExternal: [/./],
    esbuildPlugins: [replaceMqttShims],
    esbuildOptions(options) {
      options.inject = [shim('process'), shim('buffer')];
    },
  },
]);
