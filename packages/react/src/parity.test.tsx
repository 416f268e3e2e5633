import * as core from '@coplay/core';
import { adapterParity, useBrokerFixture, type AdapterApi, type AdapterHarness } from '@coplay/testkit/vitest';
import { act, cleanup, render } from '@testing-library/react';
import { Component, Fragment, StrictMode, type ReactNode } from 'react';
import { CoplayProvider } from './CoplayProvider';
import * as api from './index';

const fx = useBrokerFixture({ createConnection: core.createConnection, unmount: cleanup });

/** Records what reaches an error boundary. */
class Boundary extends Component<{ errors: unknown[]; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override componentDidCatch(error: unknown) {
    this.props.errors.push(error);
  }
  override render() {
    return this.state.failed ? null : this.props.children;
  }
}

const harness: AdapterHarness = {
  modes: ['StrictMode', 'normal mode'],
  async mount(mode, source, use, props) {
    const Mode = mode === 'StrictMode' ? StrictMode : Fragment;
    const errors: unknown[] = [];
    let latest: unknown;
    function Probe({ p }: { p: typeof props }) {
      latest = use(api as unknown as AdapterApi, ((pick: (q: typeof props) => unknown) => pick(p)) as never);
      return null;
    }
    const ui = (p: typeof props) => (
      <Mode>
        <CoplayProvider {...(source)}>
          <Boundary errors={errors}>
            <Probe p={p} />
          </Boundary>
        </CoplayProvider>
      </Mode>
    );
    const view = render(ui(props));
    return {
      read: () => latest as never,
      update: async (p) => {
        await act(async () => view.rerender(ui(p)));
      },
      errors,
      unmount: async () => view.unmount(),
    };
  },
};

adapterParity(core, fx, harness);
