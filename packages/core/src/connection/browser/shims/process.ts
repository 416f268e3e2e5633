/**
 * The `process` global MQTT.js's modules read in the browser build (esbuild `inject`): `nextTick`
 * for mqtt-packet's uncork and MQTT.js's packet loop. A microtask, as in Node; MQTT.js's own browser
 * bundle uses a `setTimeout(0)` queue there, which puts a timer task (≥ 4 ms once nested) between
 * packets. No `version`/`versions`: nothing may take this page for Node.
 */
export const process = {
  nextTick(fn: (...args: unknown[]) => void, ...args: unknown[]): void {
    queueMicrotask(() => fn(...args));
  },
  env: {} as Record<string, string | undefined>,
  browser: true,
};
