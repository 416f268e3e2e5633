// Type tests: @coplay/react and @coplay/vue export the same hooks, taking the same arguments
// (Vue also takes refs and getters) and returning the same values (Vue as readonly refs).
import * as React from '@coplay/react';
import * as Vue from '@coplay/vue';
import type { ShallowRef } from 'vue';
import { describe, expectTypeOf, it } from 'vitest';

/** What only one adapter has: how a connection is provided. */
type ReactOnly = 'CoplayProvider';
type VueOnly = 'CoplayPlugin' | 'provideCoplay';
type Same<K extends PropertyKey> = Exclude<K, ReactOnly | VueOnly>;

type Hooks = Extract<Same<keyof typeof React>, Same<keyof typeof Vue>>;

describe('React and Vue adapters, type parity', () => {
  it('export the same names', () => {
    expectTypeOf<Same<keyof typeof React>>().toEqualTypeOf<Same<keyof typeof Vue>>();
  });

  it('every React argument is a valid Vue argument', () => {
    type Check<K extends Hooks> = (typeof React)[K] extends (...a: infer A) => unknown
      ? (typeof Vue)[K] extends (...b: infer B) => unknown
        ? A extends B
          ? true
          : false
        : false
      : true;
    expectTypeOf<{ [K in Hooks]: Check<K> }>().toEqualTypeOf<{ [K in Hooks]: true }>();
  });

  it('return the same values (Vue wraps them in readonly refs)', () => {
    expectTypeOf<ReturnType<typeof Vue.useConnectionState>>().toEqualTypeOf<Readonly<ShallowRef<ReturnType<typeof React.useConnectionState>>>>();
    expectTypeOf<ReturnType<typeof Vue.useQueueStats>>().toEqualTypeOf<Readonly<ShallowRef<ReturnType<typeof React.useQueueStats>>>>();
    expectTypeOf<ReturnType<typeof Vue.usePlayers>>().toEqualTypeOf<Readonly<ShallowRef<ReturnType<typeof React.usePlayers>>>>();
    expectTypeOf<ReturnType<typeof Vue.useRemoteInput>>().toEqualTypeOf<Readonly<ShallowRef<ReturnType<typeof React.useRemoteInput>>>>();
    expectTypeOf<ReturnType<typeof Vue.usePublish>>().toEqualTypeOf<ReturnType<typeof React.usePublish>>();
    expectTypeOf<ReturnType<typeof Vue.useConnection>>().toEqualTypeOf<ReturnType<typeof React.useConnection>>();
  });
});
