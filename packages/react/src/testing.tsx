// React-specific test helpers shared by this package's tests (not exported from index.ts). The
// framework-neutral ones (broker fixture, parity table, ...) live in @coplay/testkit.
import { screen } from '@testing-library/react';
import { Fragment, StrictMode, type ComponentType, type ReactNode } from 'react';
import { CoplayProvider, type CoplayProviderProps } from './CoplayProvider';

/** Every React test runs in both modes. */
export const modes: Array<[string, ComponentType<{ children?: ReactNode }>]> = [
  ['StrictMode', StrictMode],
  ['normal mode', Fragment],
];

/** `children` under a CoplayProvider with `props`, inside the mode's wrapper. */
export const inProvider = (Mode: ComponentType<{ children?: ReactNode }>, props: CoplayProviderProps, children: ReactNode) => (
  <Mode>
    <CoplayProvider {...props}>{children}</CoplayProvider>
  </Mode>
);

/** The text of the element rendered with `data-testid={id}`. */
export const text = (id: string) => screen.getByTestId(id).textContent;
