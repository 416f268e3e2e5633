import * as core from '@coplay/core';
import { adapterParity, useBrokerFixture, type AdapterApi, type AdapterHarness } from '@coplay/testkit/vitest';
import { mount } from '@vue/test-utils';
import { createApp, defineComponent, effectScope, h, isRef, nextTick, onErrorCaptured, shallowRef, unref } from 'vue';
import { CoplayPlugin } from './CoplayPlugin';
import * as api from './index';

const fx = useBrokerFixture({ createConnection: core.createConnection });

/** Refs unwrapped, one level deep (a probe may return several hook results in an object). */
const unwrap = (x: unknown): unknown =>
  isRef(x) ? x.value : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, unref(v)])) : x;

const harness: AdapterHarness = {
  modes: ['a component', 'an effect scope'],
  async mount(mode, source, use, props) {
    const current = shallowRef(props);
    const errors: unknown[] = [];
    const arg = ((pick: (p: typeof props) => unknown) => () => pick(current.value)) as never;
    let result: unknown;
    let unmount: () => void;
    if (mode === 'a component') {
      const Probe = defineComponent(() => {
        result = use(api as unknown as AdapterApi, arg);
        return () => null;
      });
      const Parent = defineComponent(() => {
        onErrorCaptured((e) => {
          errors.push(e);
          return false;
        });
        return () => h(Probe);
      });
      const wrapper = mount(Parent, { global: { plugins: [[CoplayPlugin, source]] } });
      unmount = () => wrapper.unmount();
    } else {
      const app = createApp({ render: () => null }).use(CoplayPlugin, source);
      app.config.errorHandler = (e) => void errors.push(e);
      app.mount(document.createElement('div'));
      const scope = effectScope(true);
      result = app.runWithContext(() => scope.run(() => use(api as unknown as AdapterApi, arg)));
      // The app's cleanup first, as app.unmount() runs it before the tree: the worst order for goodbyes.
      unmount = () => {
        app.unmount();
        scope.stop();
      };
    }
    return {
      read: () => unwrap(result) as never,
      update: async (p) => {
        current.value = p;
        await nextTick();
      },
      errors,
      unmount: async () => unmount(),
    };
  },
};

adapterParity(core, fx, harness);
