import type { Connection, ConnectionOptions } from '@coplay/core';
import type { App } from 'vue';
import { coplayKey } from './coplayKey';
import { isServer } from './isServer';
import { ownConnection } from './ownConnection';

/** What {@link CoplayPlugin} takes: a connection to share, or options for one the app owns. */
export type CoplayPluginOptions = { connection: Connection } | { options: ConnectionOptions };

/**
 * Provides a connection to the whole app.
 *
 * With `connection`, it is shared and left open. With `options`, the plugin creates one (idle, so
 * server rendering opens no socket), connects it once `app.mount()` has run in the browser (after
 * hydration, so server and client markup agree), and closes it when the app unmounts (Vue ≥ 3.5).
 *
 * @example
 * createApp(App).use(CoplayPlugin, { options: { url: 'wss://broker.example/mqtt' } }).mount('#app');
 */
export const CoplayPlugin = {
  install(app: App, init: CoplayPluginOptions): void {
    const [connection, owned] = ownConnection('connection' in init ? init.connection : init.options);
    app.provide(coplayKey, connection);
    if (!owned) return;
    // onUnmount exists from Vue 3.5; older apps close the connection themselves (useConnection().close()).
    app.onUnmount?.(() => void owned.close());
    if (isServer) return;
    const mount = app.mount;
    app.mount = (...args: Parameters<App['mount']>) => {
      const vm = mount(...args);
      owned.connect();
      return vm;
    };
  },
};
