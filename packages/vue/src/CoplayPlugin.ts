import type { App } from 'vue';
import { coplayKey } from './coplayKey';
import type { CoplaySource } from './CoplaySource';
import { provided } from './provided';

/** What {@link CoplayPlugin} takes: a connection to share, or options for one the app owns. */
export type CoplayPluginOptions = CoplaySource;

/**
 * Provides a connection to the whole app.
 *
 * With `connection`, it is shared and left open. With `options`, the plugin creates one (idle, so
 * server rendering opens no socket); it connects once the first component using it has mounted
 * in the browser (after hydration, so server and client markup agree) and closes when the app
 * unmounts (Vue ≥ 3.5), after the rooms in the app have said goodbye.
 *
 * @example
 * createApp(App).use(CoplayPlugin, { options: { url: 'wss://broker.example/mqtt' } }).mount('#app');
 */
export const CoplayPlugin = {
  /** Called by `app.use(CoplayPlugin, source)`: provides the connection (and owns it when given options). */
  install(app: App, source: CoplayPluginOptions): void {
    const [value, close] = provided(source);
    app.provide(coplayKey, { ...value, appErrorHandler: () => app.config.errorHandler });
    // onUnmount exists from Vue 3.5; older apps close the connection themselves (useConnection().close()).
    if (close) app.onUnmount?.(close);
  },
};
