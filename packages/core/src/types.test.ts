// Type tests for the public API (checked by `npm run typecheck`; the runtime part is trivial).
import { describe, expectTypeOf, it } from 'vitest';
import type {
  ConnectionState,
  ControllerState,
  FocusSource,
  GuestRoom,
  GuestStatus,
  HostRoom,
  Live,
  LiveTopic,
  PlayerInfo,
  QueueStats,
  RoomStats,
} from './index';
import { createConnection, hostRoom, joinRoom, liveTopic, jsonCodec, roomKey, goodbyes } from './index';

type Conn = ReturnType<typeof createConnection>;

describe('public types', () => {
  it('every UI-facing value is a Live', () => {
    expectTypeOf<Conn['state']>().toEqualTypeOf<Live<ConnectionState>>();
    expectTypeOf<Conn['queue']>().toEqualTypeOf<Live<QueueStats>>();
    expectTypeOf<HostRoom['players']>().toEqualTypeOf<Live<readonly PlayerInfo[]>>();
    expectTypeOf<HostRoom['stats']>().toEqualTypeOf<Live<RoomStats>>();
    expectTypeOf<HostRoom['input']>().returns.toEqualTypeOf<Live<ControllerState>>();
    expectTypeOf<GuestRoom['status']>().toEqualTypeOf<Live<GuestStatus>>();
    expectTypeOf<GuestRoom['rtt']>().toEqualTypeOf<Live<number | undefined>>();
    expectTypeOf<FocusSource>().toExtend<Live<boolean>>();
    expectTypeOf<LiveTopic<number>>().toExtend<Live<number | undefined>>();
  });

  it('a room keeps its state type', () => {
    expectTypeOf(hostRoom<{ score: number }>).returns.toEqualTypeOf<HostRoom<{ score: number }>>();
    expectTypeOf<HostRoom<{ score: number }>['broadcast']>().parameter(0).toEqualTypeOf<{ score: number }>();
    expectTypeOf(joinRoom<{ score: number }>).returns.toEqualTypeOf<GuestRoom<{ score: number }>>();
    expectTypeOf<GuestRoom<{ score: number }>['hostState']>().toEqualTypeOf<Live<{ score: number } | undefined>>();
  });

  it('one lifecycle verb: close() returning a promise, for connections, host rooms and guest rooms', () => {
    expectTypeOf<Conn['close']>().returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf<HostRoom['close']>().returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf<GuestRoom['close']>().returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf<GuestRoom>().not.toHaveProperty('leave');
    expectTypeOf<HostRoom>().not.toHaveProperty('dispose');
  });

  it('publish reports through its promise', () => {
    expectTypeOf<Conn['publish']>().returns.toEqualTypeOf<Promise<boolean>>();
  });

  it('liveTopic infers the decoded and selected types', () => {
    const conn = {} as Conn;
    expectTypeOf(liveTopic<{ p1: number }, number>).returns.toEqualTypeOf<LiveTopic<number>>();
    expectTypeOf<Parameters<typeof liveTopic<{ p1: number }, number>>[2]>().toExtend<object | undefined>();
    void conn;
    void jsonCodec;
  });

  it('adapter support: roomKey is a string, goodbyes settle', () => {
    expectTypeOf(roomKey).returns.toEqualTypeOf<string>();
    expectTypeOf<(typeof goodbyes)['closeLast']>().returns.toEqualTypeOf<Promise<void>>();
  });
});
