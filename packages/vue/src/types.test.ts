// Type tests for @coplay/vue (checked by `npm run typecheck`).
import type { ConnectionState, GuestRoom, HostRoom, Live, PlayerInfo } from '@coplay/core';
import type { MaybeRefOrGetter, ShallowRef } from 'vue';
import { describe, expectTypeOf, it } from 'vitest';
import { provideCoplay, useGuestRoom, useHostRoom, useLive, usePlayers, useTopic } from './index';

describe('@coplay/vue types', () => {
  it('useLive returns a readonly ref of the value type, or of the fallback while the Live is undefined', () => {
    expectTypeOf(useLive<number>).returns.toEqualTypeOf<Readonly<ShallowRef<number>>>();
    expectTypeOf(useLive<ConnectionState, { status: 'none' }>).parameters.toEqualTypeOf<
      [MaybeRefOrGetter<Live<ConnectionState> | undefined>, { status: 'none' }]
    >();
  });

  it('room composables carry the state type', () => {
    expectTypeOf(useHostRoom<{ score: number }>).returns.toEqualTypeOf<Readonly<ShallowRef<HostRoom<{ score: number }> | undefined>>>();
    expectTypeOf(useGuestRoom<{ score: number }>).returns.toEqualTypeOf<Readonly<ShallowRef<GuestRoom<{ score: number }> | undefined>>>();
    expectTypeOf(usePlayers).returns.toEqualTypeOf<Readonly<ShallowRef<readonly PlayerInfo[]>>>();
  });

  it('provideCoplay takes { connection } or { options }, never a bare connection to duck-type', () => {
    expectTypeOf<ReturnType<typeof import('@coplay/core').createConnection>>().not.toExtend<Parameters<typeof provideCoplay>[0]>();
  });

  it('useTopic takes refs or getters for the filter and the options', () => {
    expectTypeOf(useTopic<string, string>).parameter(0).toEqualTypeOf<MaybeRefOrGetter<string>>();
    expectTypeOf(useTopic<string, string>).returns.toEqualTypeOf<Readonly<ShallowRef<string | undefined>>>();
  });
});
