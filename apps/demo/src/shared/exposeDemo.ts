/** What the pages put on `window.__coplayDemo` for the end-to-end test and for poking around. */
export type DemoHandle = Record<string, unknown> & { role: 'host' | 'guest' };

declare global {
  interface Window {
    __coplayDemo?: DemoHandle;
  }
}

/**
 * Publishes a read-only view of the page's state (getters, so values are always current).
 * Returns a function that removes it again.
 */
export function exposeDemo(handle: DemoHandle): () => void {
  window.__coplayDemo = handle;
  return () => {
    if (window.__coplayDemo === handle) delete window.__coplayDemo;
  };
}
