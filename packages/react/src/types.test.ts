// Type tests for @coplay/react (checked by `npm run typecheck`).
import { jsonCodec, type ConnectionState, type GuestRoom, type HostRoom, type Live, type PlayerInfo } from '@coplay/core';
import { describe, expectTypeOf, it } from 'vitest';
import { useGuestRoom, useHostRoom, useLive, usePlayers, useTopic, type UseTopicOptions } from './index';

describe('@coplay/react types', () => {
  it('useLive returns the value type, or the fallback while the Live is undefined', () => {
    expectTypeOf(useLive<number>).returns.toEqualTypeOf<number>();
    expectTypeOf(useLive<ConnectionState, { status: 'none' }>).parameters.toEqualTypeOf<[Live<ConnectionState> | undefined, { status: 'none' }]>();
    expectTypeOf(useLive<ConnectionState, { status: 'none' }>).returns.toEqualTypeOf<ConnectionState | { status: 'none' }>();
  });

  it('room hooks carry the state type and never return HostRoom<unknown> for a typed room', () => {
    expectTypeOf(useHostRoom<{ score: number }>).returns.toEqualTypeOf<HostRoom<{ score: number }> | undefined>();
    expectTypeOf(useGuestRoom<{ score: number }>).returns.toEqualTypeOf<GuestRoom<{ score: number }> | undefined>();
    expectTypeOf(usePlayers).returns.toEqualTypeOf<readonly PlayerInfo[]>();
  });

  it('room options accept event targets and functions (no serialisable-only constraint)', () => {
    expectTypeOf<{ room: string; browserEvents: { window: EventTarget; document: EventTarget } }>().toExtend<Parameters<typeof useGuestRoom>[0]>();
  });

  it('useTopic infers codec and select types', () => {
    const options = { codec: jsonCodec<{ p1: number }>(), select: (s: { p1: number }) => s.p1 };
    expectTypeOf(options).toExtend<UseTopicOptions<{ p1: number }, number>>();
    expectTypeOf(useTopic<{ p1: number }, number>).returns.toEqualTypeOf<number | undefined>();
  });
});
