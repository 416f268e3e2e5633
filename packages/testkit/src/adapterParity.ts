import type * as Core from '@coplay/core';
import type { Codec, Connection, ConnectionOptions, ConnectionState, ControllerState, CoplayError, GuestRoom, GuestRoomOptions, HostRoom, HostRoomOptions, Live, Message, PlayerInfo, QoS, QueueStats, Select } from '@coplay/core';
import { describe, expect, it, vi } from 'vitest';
import { farewell } from './farewell';
import { refuseSubscribe } from './refuseSubscribe';
import type { BrokerFixture } from './useBrokerFixture';
import { waitForGuestStatus } from './waitForGuestStatus';

/**
 * An argument of a hook: the plain value in React (re-rendered with new props), a getter in Vue
 * (followed reactively). Cases build them with `arg`; only the harness looks inside.
 */
export type Arg<T> = { readonly __arg: T };
/** What a hook returns: the value in React, a readonly ref in Vue. Cases pass it on, `read` unwraps it. */
export type Out<T> = { readonly __out: T };

/** The adapter API, named and shaped the same in @coplay/react and @coplay/vue. */
export interface AdapterApi {
  useConnection(): Connection;
  useConnectionState(): Out<ConnectionState>;
  useQueueStats(): Out<QueueStats>;
  useLive<T, F>(live: Arg<Live<T> | undefined>, fallback: F): Out<T | F>;
  useTopic<D, T>(filter: Arg<string>, options?: Arg<{ qos?: QoS; codec?: Codec<D>; select?: Select<D, T>; onError?: (e: CoplayError) => void }>): Out<T | undefined>;
  useTopicListener<D>(
    filter: Arg<string>,
    onMessage: (value: D, message: Message) => void,
    options?: Arg<{ qos?: QoS; codec?: Codec<D>; onError?: (e: CoplayError) => void }>,
  ): void;
  usePublish<T>(codec?: Codec<T>): (topic: string, value: T, options?: Core.PublishOptions) => Promise<boolean>;
  useHostRoom<S>(options: Arg<HostRoomOptions>): Out<HostRoom<S> | undefined>;
  useGuestRoom<S>(options: Arg<GuestRoomOptions>): Out<GuestRoom<S> | undefined>;
  usePlayers(host: Out<HostRoom<unknown> | undefined>): Out<readonly PlayerInfo[]>;
  useRemoteInput(host: Out<HostRoom<unknown> | undefined>, slot: Arg<number>): Out<ControllerState>;
}

/** One mounted probe component (or effect scope). */
export interface Probe<P, T> {
  /** The hook result, unwrapped (the latest render's in React, the ref's value in Vue). */
  read(): T;
  /** New props: React re-renders, Vue's getters see them. */
  update(props: P): Promise<void>;
  /** Errors the framework's error handling received (error boundary, onErrorCaptured / errorHandler). */
  readonly errors: unknown[];
  /** Unmounts (React) or stops the effect scope (Vue). */
  unmount(): Promise<void>;
}

/** How a table case uses an adapter. */
export interface AdapterHarness {
  /** Modes every case runs in (React: StrictMode and normal; Vue: a component and an effect scope). */
  readonly modes: readonly string[];
  mount<P, T>(
    mode: string,
    source: { connection: Connection } | { options: ConnectionOptions },
    use: (api: AdapterApi, arg: <X>(pick: (props: P) => X) => Arg<X>) => Out<T> | void,
    props: P,
  ): Promise<Probe<P, T>>;
}

let n = 0;
const unique = (name: string) => `${name}-${++n}`;
// Long enough that only an explicit goodbye can move a player to `left` during a test.
const patient = { silenceMs: 600_000, releaseMs: 600_000 };

/**
 * The behaviour table both adapters must pass, case for case: same names, same arguments, same
 * results. Call it once per adapter test file with that adapter's harness.
 */
export function adapterParity(core: typeof Core, fx: BrokerFixture, harness: AdapterHarness): void {
  const { jsonCodec, textCodec, hostRoom, joinRoom, NEUTRAL } = core;
  const publisher = () => fx.connect('pub');

  describe.each(harness.modes)('adapter parity table (%s)', (mode) => {
    it('useLive reads a Live, follows it, holds the fallback while it is undefined, and unsubscribes on unmount', async () => {
      const conn = await fx.connect('live');
      const live = manualLive(1);
      const props: { live: Live<number> | undefined } = { live };
      const p = await harness.mount(mode, { connection: conn }, (api, arg) => api.useLive(arg((s) => s.live), 'none' as const), props);
      expect(p.read()).toBe(1);
      live.set(2);
      await vi.waitFor(() => expect(p.read()).toBe(2));
      await p.update({ live: undefined });
      await vi.waitFor(() => expect(p.read()).toBe('none'));
      expect(live.subscribers()).toBe(0);
      await p.update({ live });
      await vi.waitFor(() => expect(p.read()).toBe(2));
      expect(live.subscribers()).toBe(1);
      await p.unmount();
      expect(live.subscribers()).toBe(0);
      expect(p.errors).toEqual([]);
    });

    it('useLive hands an error of value$ to the framework error handling', async () => {
      const conn = await fx.connect('live-error');
      const live = manualLive(1);
      const p = await harness.mount(mode, { connection: conn }, (api, arg) => api.useLive(arg(() => live), 0), {});
      const boom = new Error('boom');
      live.fail(boom);
      await vi.waitFor(() => expect(p.errors).toContain(boom));
      await p.unmount();
    });

    it('useTopic: the latest decoded message, one SUBSCRIBE, released on unmount', async () => {
      const conn = await fx.connect('topic');
      const pub = await publisher();
      const topic = unique('parity/score');
      const p = await harness.mount(
        mode,
        { connection: conn },
        (api, arg) => api.useTopic(arg(() => topic), arg(() => ({ codec: jsonCodec<{ p1: number }>(), select: (s: { p1: number }) => s.p1 }))),
        {},
      );
      expect(p.read()).toBeUndefined();
      await fx.broker.waitFor({ type: 'subscribe', clientId: conn.clientId, filters: [topic] });
      await pub.publish(topic, '{"p1":3}');
      await vi.waitFor(() => expect(p.read()).toBe(3));
      await pub.publish(topic, '{broken');
      await pub.publish(topic, '{"p1":4}');
      await vi.waitFor(() => expect(p.read()).toBe(4));
      expect(fx.broker.count('subscribe', { clientId: conn.clientId })).toBe(1);
      await p.unmount();
      await fx.broker.waitFor({ type: 'unsubscribe', clientId: conn.clientId, filters: [topic] });
    });

    it('useTopic: a new qos subscribes anew (the value starts over); a new select keeps the subscription and value', async () => {
      const conn = await fx.connect('qos');
      const pub = await publisher();
      const topic = unique('parity/qos');
      const props: { qos: QoS; tag: string } = { qos: 0, tag: 'a:' };
      const p = await harness.mount(
        mode,
        { connection: conn },
        (api, arg) => api.useTopic(arg(() => topic), arg((s) => ({ qos: s.qos, codec: textCodec, select: (t: string) => `${s.tag}${t}` }))),
        props,
      );
      await fx.broker.waitFor({ type: 'subscribe', clientId: conn.clientId, filters: [topic] });
      await pub.publish(topic, 'x');
      await vi.waitFor(() => expect(p.read()).toBe('a:x'));
      await p.update({ qos: 0, tag: 'b:' });
      expect(p.read()).toBe('a:x');
      await pub.publish(topic, 'y');
      await vi.waitFor(() => expect(p.read()).toBe('b:y'));
      await p.update({ qos: 1, tag: 'b:' });
      expect(p.read()).toBeUndefined();
      await pub.publish(topic, 'z', { qos: 1 });
      await vi.waitFor(() => expect(p.read()).toBe('b:z'));
      await p.unmount();
    });

    it('useTopic: a refused subscription goes to onError when given, else to the framework error handling', async () => {
      const conn = await fx.connect('refused');
      const restores = ['parity/secret', 'parity/secret/2'].map((f) => refuseSubscribe(fx.broker, f));
      try {
        const told: CoplayError[] = [];
        const withHandler = await harness.mount(
          mode,
          { connection: conn },
          (api, arg) => api.useTopic(arg(() => 'parity/secret'), arg(() => ({ onError: (e: CoplayError) => told.push(e) }))),
          {},
        );
        await vi.waitFor(() => expect(told.map((e) => e.code)).toEqual(['SUBSCRIBE_FAILED']));
        expect(withHandler.errors).toEqual([]);
        await withHandler.unmount();
        const without = await harness.mount(mode, { connection: conn }, (api, arg) => api.useTopic(arg(() => 'parity/secret/2')), {});
        await vi.waitFor(() => expect(without.errors).toEqual([expect.objectContaining({ code: 'SUBSCRIBE_FAILED' })]));
        await without.unmount();
      } finally {
        for (const restore of restores) restore();
      }
    });

    it('useTopicListener: every message in order; a new filter releases the old one', async () => {
      const conn = await fx.connect('listen');
      const pub = await publisher();
      const [a, b] = [unique('parity/a'), unique('parity/b')];
      const got: string[] = [];
      const p = await harness.mount(
        mode,
        { connection: conn },
        (api, arg) => api.useTopicListener(arg((s) => s.filter), (t: string, m) => got.push(`${m.topic}=${t}`), arg(() => ({ codec: textCodec }))),
        { filter: a },
      );
      await fx.broker.waitFor({ type: 'subscribe', clientId: conn.clientId, filters: [a] });
      await Promise.all(['1', '2', '3'].map((t) => pub.publish(a, t)));
      await vi.waitFor(() => expect(got).toEqual([`${a}=1`, `${a}=2`, `${a}=3`]));
      await p.update({ filter: b });
      await fx.broker.waitFor({ type: 'subscribe', clientId: conn.clientId, filters: [b] });
      await fx.broker.waitFor({ type: 'unsubscribe', clientId: conn.clientId, filters: [a] });
      await pub.publish(b, '4');
      await vi.waitFor(() => expect(got.at(-1)).toBe(`${b}=4`));
      await p.unmount();
      await fx.broker.waitFor({ type: 'unsubscribe', clientId: conn.clientId, filters: [b] });
    });

    it('usePublish encodes and publishes', async () => {
      const conn = await fx.connect('publish');
      const p = await harness.mount(
        mode,
        { connection: conn },
        (api) => ({ publish: api.usePublish(jsonCodec<{ p1: number }>()) }) as unknown as Out<never>,
        {},
      );
      const { publish } = p.read() as unknown as { publish: (t: string, v: { p1: number }) => Promise<boolean> };
      await expect(publish('parity/pub', { p1: 7 })).resolves.toBe(true);
      const event = await fx.broker.waitFor({ type: 'publish', clientId: conn.clientId, topic: 'parity/pub' });
      expect(JSON.parse(event.payload!.toString())).toEqual({ p1: 7 });
      await p.unmount();
    });

    it('useConnectionState follows the connection', async () => {
      const conn = fx.track(core.createConnection(fx.options('state', { autoConnect: false })));
      const p = await harness.mount(mode, { connection: conn }, (api) => api.useConnectionState(), {});
      expect(p.read().status).toBe('idle');
      conn.connect();
      await vi.waitFor(() => expect(p.read().status).toBe('connected'));
      await p.unmount();
    });

    it('useHostRoom + usePlayers + useRemoteInput follow a guest; the room keeps its state type', async () => {
      const conn = await fx.connect('host');
      const room = unique('parity-host');
      const p = await harness.mount(
        mode,
        { connection: conn },
        (api, arg) => {
          const host = api.useHostRoom<{ score: number }>(arg(() => ({ room, secure: false, maxPlayers: 3 })));
          return { host, players: api.usePlayers(host), input: api.useRemoteInput(host, arg((s) => s.slot)) } as unknown as Out<never>;
        },
        { slot: 2 },
      );
      const read = () => p.read() as unknown as { host: HostRoom<{ score: number }> | undefined; players: readonly PlayerInfo[]; input: ControllerState };
      await vi.waitFor(() => expect(read().host?.room).toBe(room));
      expect(read().players).toEqual([]);
      expect(read().input).toEqual(NEUTRAL);
      const guest = joinRoom(await fx.connect('guest'), { room, secure: false, name: 'ana', browserEvents: false });
      fx.defer(() => guest.close());
      await waitForGuestStatus(guest, 'playing');
      guest.send({ ...NEUTRAL, buttons: 0b101 });
      await vi.waitFor(() => expect(read().input.buttons).toBe(0b101));
      expect(read().players.map((pl) => `${pl.slot}:${pl.name}:${pl.status}`)).toEqual(['2:ana:playing']);
      await p.update({ slot: 3 });
      await vi.waitFor(() => expect(read().input).toEqual(NEUTRAL));
      await p.unmount();
      await waitForGuestStatus(guest, 'closed');
    });

    it('useLive(host.stats): the same object until it changes, so reading it never loops; it follows the frames', async () => {
      const conn = await fx.connect('stats');
      const room = unique('parity-stats');
      const p = await harness.mount(mode, { connection: conn }, (api, arg) => api.useHostRoom(arg(() => ({ room, secure: false }))), {});
      const host = () => p.read();
      await vi.waitFor(() => expect(host()).toBeDefined());
      expect(host()!.stats.value).toBe(host()!.stats.value);
      const q = await harness.mount(mode, { connection: conn }, (api, arg) => api.useLive(arg(() => host()!.stats), undefined), {});
      const guest = joinRoom(await fx.connect('guest'), { room, secure: false, name: 'sam', browserEvents: false });
      fx.defer(() => guest.close());
      await waitForGuestStatus(guest, 'playing');
      guest.send({ ...NEUTRAL, buttons: 1 });
      await vi.waitFor(() => expect((q.read() as { frames: number } | undefined)?.frames).toBeGreaterThan(0));
      expect(q.errors).toEqual([]);
      await q.unmount();
      await p.unmount();
    });

    it('useHostRoom: an identity option (maxPlayers) reopens, the old room closing first; other options never do', async () => {
      const conn = await fx.connect('host-key');
      const room = unique('parity-key');
      const opened: unknown[] = [];
      const p = await harness.mount(
        mode,
        { connection: conn },
        (api, arg) => api.useHostRoom(arg((s) => ({ room, secure: false, maxPlayers: s.max, pingIntervalMs: s.ping }))),
        { max: 2, ping: 1000 },
      );
      await vi.waitFor(() => expect(p.read()).toBeDefined());
      opened.push(p.read());
      await p.update({ max: 2, ping: 2000 });
      await p.update({ max: 2, ping: 3000 });
      expect(p.read()).toBe(opened[0]);
      await p.update({ max: 3, ping: 3000 });
      await vi.waitFor(() => expect(p.read()).not.toBe(opened[0]));
      const presence = () =>
        fx.broker.events.filter((e) => e.type === 'publish' && e.clientId === conn.clientId && e.retain && e.topic!.endsWith(`${room}/h`));
      // Opened, cleared by the old room's close, then the new room's presence last.
      await vi.waitFor(() => expect(presence().map((e) => e.payload!.length > 0)).toEqual([true, false, true]));
      expect(JSON.parse(presence().at(-1)!.payload!.toString())).toMatchObject({ maxPlayers: 3 });
      await p.unmount();
    });

    it('useGuestRoom: new names and circular options (browserEvents: { window, document }) keep the room; a new room id rejoins', async () => {
      const [r1, r2] = [unique('parity-guest'), unique('parity-guest')];
      const hostConn = await fx.connect('host');
      const h1 = hostRoom(hostConn, { room: r1, secure: false, ...patient });
      const h2 = hostRoom(hostConn, { room: r2, secure: false, ...patient });
      fx.defer(() => h1.close());
      fx.defer(() => h2.close());
      const conn = await fx.connect('guest');
      const targets = { window: globalThis.window ?? new EventTarget(), document: globalThis.document ?? new EventTarget() };
      const p = await harness.mount(
        mode,
        { connection: conn },
        (api, arg) => api.useGuestRoom<{ score: number }>(arg((s) => ({ room: s.room, secure: false, name: s.name, browserEvents: targets }))),
        { room: r1, name: 'cy' },
      );
      await vi.waitFor(() => expect(h1.players.value.map((pl) => `${pl.name}:${pl.status}`)).toEqual(['cy:playing']), { timeout: 10_000 });
      const first = p.read();
      await p.update({ room: r1, name: 'dee' });
      expect(p.read()).toBe(first);
      await p.update({ room: r2, name: 'dee' });
      await vi.waitFor(() => expect(h2.players.value.map((pl) => `${pl.name}:${pl.status}`)).toEqual(['dee:playing']), { timeout: 10_000 });
      await vi.waitFor(() => expect(h1.players.value.map((pl) => pl.status)).toEqual(['left']));
      await p.unmount();
      await vi.waitFor(() => expect(h2.players.value.map((pl) => pl.status)).toEqual(['left']));
    });

    it('teardown, guest: with an owned connection, leave and cleared presence reach the broker before the disconnect', async () => {
      const room = unique('parity-bye-guest');
      const host = hostRoom(await fx.connect('host'), { room, secure: false, ...patient });
      fx.defer(() => host.close());
      const options = fx.options('guest');
      const p = await harness.mount(mode, { options }, (api) => void api.useGuestRoom(arg0({ room, secure: false, name: 'gus', browserEvents: false })), {});
      await vi.waitFor(() => expect(host.players.value.map((pl) => pl.status)).toEqual(['playing']), { timeout: 10_000 });
      await p.unmount();
      await fx.broker.waitFor({ type: 'disconnect', clientId: options.clientId! }, 5000);
      expect(farewell(fx.broker.events, options.clientId!)).toEqual(['leave', `cleared cp/${room}/p/${options.clientId}`, 'disconnect']);
      await vi.waitFor(() => expect(host.players.value.map((pl) => pl.status)).toEqual(['left']));
    });

    it('teardown, host: with an owned connection, `closed` and cleared retained topics reach the broker before the disconnect', async () => {
      const room = unique('parity-bye-host');
      const options = fx.options('host');
      const p = await harness.mount(mode, { options }, (api) => void api.useHostRoom(arg0({ room, secure: false, ...patient })), {});
      const guest = joinRoom(await fx.connect('guest'), { room, secure: false, name: 'gia', browserEvents: false });
      fx.defer(() => guest.close());
      await waitForGuestStatus(guest, 'playing');
      await p.unmount();
      await fx.broker.waitFor({ type: 'disconnect', clientId: options.clientId! }, 5000);
      expect(farewell(fx.broker.events, options.clientId!)).toEqual(['closed', `cleared cp/${room}/h`, `cleared cp/${room}/s`, 'disconnect']);
      await waitForGuestStatus(guest, 'closed');
    });
  });
}

/** A constant argument: the same in both adapters (React takes the value, Vue accepts a plain value too). */
const arg0 = <X>(value: X): Arg<X> => value as unknown as Arg<X>;

/** A Live value driven by hand, counting its subscribers (a stand-in for any core Live). */
function manualLive<T>(initial: T) {
  let value = initial;
  const observers = new Set<{ next?: (v: T) => void; error?: (e: unknown) => void }>();
  const value$ = {
    subscribe(observer: { next?: (v: T) => void; error?: (e: unknown) => void }) {
      observers.add(observer);
      observer.next?.(value);
      return { unsubscribe: () => observers.delete(observer) };
    },
  };
  return {
    get value() {
      return value;
    },
    value$: value$ as unknown as Live<T>['value$'],
    set(next: T) {
      value = next;
      for (const o of [...observers]) o.next?.(next);
    },
    fail(error: unknown) {
      for (const o of [...observers]) {
        observers.delete(o);
        o.error?.(error);
      }
    },
    subscribers: () => observers.size,
  };
}
