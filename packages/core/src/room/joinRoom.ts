import {
  asyncScheduler,
  BehaviorSubject,
  type Observable,
  type SchedulerAction,
  type Subscription,
} from 'rxjs';
import type { Connection, PublishOptions } from '../connection/types';
import { CoplayError } from '../errors/CoplayError';
import { NEUTRAL, normalizeState, type ControllerState } from '../input/ControllerState';
import { encodeFrame } from '../input/encodeFrame';
import { sampleInput } from '../input/sampleInput';
import { cleanName, parseDown, parseHostPresence, type UpMessage } from './controlMessages';
import { guestWill } from './guestWill';
import { ROOM_PROTOCOL_VERSION, roomTopics } from './roomTopics';
import type { GuestRoom, GuestRoomOptions, GuestStatus } from './types';
import { validateId } from './validateId';


function positive(name: string, v: number): number {
  if (!(typeof v === 'number' && v > 0 && v < Number.POSITIVE_INFINITY)) {
    throw new CoplayError('INVALID_OPTIONS', `${name} must be a positive finite number, got ${v}`);
  }
  return v;
}

/** Binary broadcasts start with 0x00 (no JSON text does); the rest is JSON. */
function decodeBroadcast(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  if (bytes.length === 0) return { ok: true, value: undefined };
  if (bytes[0] === 0) return { ok: true, value: bytes.slice(1) };
  try {
    return { ok: true, value: JSON.parse(new TextDecoder().decode(bytes)) };
  } catch {
    return { ok: false };
  }
}

type BrowserTargets = { window?: EventTarget; document?: EventTarget & { visibilityState?: string } };

function browserTargets(option: GuestRoomOptions['browserEvents']): BrowserTargets {
  if (option === false) return {};
  if (option && typeof option === 'object') return option;
  return {
    ...(typeof window !== 'undefined' ? { window } : {}),
    ...(typeof document !== 'undefined' ? { document } : {}),
  };
}

/**
 * Joins a co-play room as a guest: asks the host for a player slot, then sends this player's
 * controller state as compact binary frames (on change, plus a keyframe every `keyframeMs`).
 *
 * Create the connection with `will: guestWill(room, clientId)` so the host learns at once when
 * this guest drops; by default `joinRoom` also sets that will for the connection's next CONNECT.
 * @throws CoplayError `INVALID_ID` for a bad room or client id, `INVALID_OPTIONS` for bad options.
 * @example
 * const guest = joinRoom(conn, { room: 'living-room', name: 'Ada' });
 * const stop = guest.attach(keyboardInput().state$);
 */
export function joinRoom<S = unknown>(connection: Connection, options: GuestRoomOptions): GuestRoom<S> {
  if (!options || typeof options !== 'object') throw new CoplayError('INVALID_OPTIONS', 'joinRoom needs an options object');
  const room = validateId(options.room, 'room');
  const clientId = validateId(connection.clientId, 'client');
  if (options.name !== undefined && typeof options.name !== 'string') {
    throw new CoplayError('INVALID_OPTIONS', 'name must be a string');
  }
  const name = cleanName(options.name);
  const keyframeMs = positive('keyframeMs', options.keyframeMs ?? 100);
  const joinRetryMs = positive('joinRetryMs', options.joinRetryMs ?? 1000);
  const scheduler = options.scheduler ?? asyncScheduler;
  const topics = roomTopics(room);
  const inputTopic = topics.input(clientId);
  const presenceTopic = topics.presence(clientId);
  const upTopic = topics.up(clientId);
  const setWill = options.setWill !== false;
  if (setWill) connection.setWill(guestWill(room, clientId));

  const status$ = new BehaviorSubject<GuestStatus>({ status: 'joining' });
  const rtt$ = new BehaviorSubject<number | undefined>(undefined);
  const hostState$ = new BehaviorSubject<S | undefined>(undefined);
  const subscriptions: Subscription[] = [];

  // A new session byte on every (re)connect: the host drops frames still in flight from the old link.
  let session = Math.floor(Math.random() * 256);
  let seq = 0;
  let current: ControllerState = NEUTRAL;
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let connected = false;
  let hidden = false;
  let blurred = false;
  let keyframeTimer: Subscription | undefined;
  let attachment: Subscription | undefined;
  let ended = false;

  const isPlaying = () => status$.value.status === 'playing';
  const setStatus = (s: GuestStatus) => {
    if (ended) return;
    const before = status$.value;
    if (before.status === s.status && JSON.stringify(before) === JSON.stringify(s)) return;
    status$.next(s);
    if (s.status === 'playing') armKeyframe(keyframeMs);
    else {
      keyframeTimer?.unsubscribe();
      keyframeTimer = undefined;
    }
  };

  const publish = (topic: string, payload: string | Uint8Array, opts: PublishOptions): Promise<boolean> => {
    try {
      return connection.publish(topic, payload, opts).catch(() => false);
    } catch {
      return Promise.resolve(false);
    }
  };
  const sendUp = (message: UpMessage, opts: PublishOptions = {}) =>
    publish(upTopic, JSON.stringify(message), { qos: 1, ...opts });
  const sendJoin = () =>
    sendUp({ t: 'join', v: ROOM_PROTOCOL_VERSION, session, ...(name !== undefined ? { name } : {}) }, { whenOffline: 'drop' });

  /** Sends one frame with the full state (NEUTRAL while the tab is hidden or blurred). */
  const transmit = (state: ControllerState) => {
    const bytes = encodeFrame({
      session,
      seq,
      time: scheduler.now(),
      state: hidden || blurred ? NEUTRAL : state,
    });
    seq = (seq + 1) & 0xffff;
    lastSentAt = scheduler.now();
    // Input is only worth its moment: QoS 0 and never queued offline (a keyframe follows the reconnect).
    return publish(inputTopic, bytes, { qos: 0, whenOffline: 'drop' });
  };

  // One self-re-arming timer: fires keyframeMs after the last frame, whatever sent it.
  function armKeyframe(delay: number) {
    keyframeTimer?.unsubscribe();
    keyframeTimer = scheduler.schedule(() => {
      keyframeTimer = undefined;
      if (ended || !isPlaying()) return;
      const idle = scheduler.now() - lastSentAt;
      if (idle >= keyframeMs) {
        void transmit(current);
        armKeyframe(keyframeMs);
      } else armKeyframe(keyframeMs - idle);
    }, delay);
  }

  const setCurrent = (state: ControllerState) => {
    current = state;
    if (isPlaying()) void transmit(state);
  };

  const end = (final: GuestStatus) => {
    if (ended) return;
    setStatus(final);
    ended = true;
    keyframeTimer?.unsubscribe();
    attachment?.unsubscribe();
    attachment = undefined;
    for (const s of subscriptions) s.unsubscribe();
    removeBrowserListeners();
    if (setWill) connection.setWill(undefined);
    status$.complete();
    rtt$.complete();
    hostState$.complete();
  };

  // --- control from the host
  subscriptions.push(
    connection.topic(topics.down(clientId), { qos: 1 }).subscribe({
      next: (m) => {
        if (ended) return;
        const message = parseDown(m.payload);
        if (!message) return;
        switch (message.t) {
          case 'waiting':
            if (message.session === session) setStatus({ status: 'waiting' });
            break;
          case 'slot':
            if (message.session !== session) break; // an answer to an earlier session's join
            if (!isPlaying()) {
              setStatus({ status: 'playing', slot: message.slot });
              void transmit(current); // keyframe right away: the host knows nothing of us yet
            } else if (status$.value.status === 'playing' && (status$.value as { slot: number }).slot !== message.slot) {
              setStatus({ status: 'playing', slot: message.slot });
            }
            break;
          case 'reject':
            void publish(presenceTopic, '', { qos: 1, retain: true, whenOffline: 'drop' });
            end({ status: 'rejected', reason: message.reason });
            break;
          case 'kick':
            void publish(presenceTopic, '', { qos: 1, retain: true, whenOffline: 'drop' });
            end(message.reason === undefined ? { status: 'kicked' } : { status: 'kicked', reason: message.reason });
            break;
          case 'closed':
            void publish(presenceTopic, '', { qos: 1, retain: true, whenOffline: 'drop' });
            end({ status: 'closed' });
            break;
          case 'ping':
            void sendUp({ t: 'pong', ts: message.ts }, { whenOffline: 'drop' });
            if (message.rtt !== undefined && message.rtt !== rtt$.value) rtt$.next(message.rtt);
            break;
        }
      },
      error: () => {},
    }),
  );

  // --- the host's presence: (re)join whenever it appears, wait when it is gone
  subscriptions.push(
    connection.topic(topics.host, { qos: 1 }).subscribe({
      next: (m) => {
        if (ended) return;
        if (m.payload.length > 0 && parseHostPresence(m.payload)) {
          if (connected) void sendJoin();
        } else if (m.payload.length === 0 && status$.value.status !== 'joining') {
          setStatus({ status: 'joining' });
        }
      },
      error: () => {},
    }),
  );

  // --- the host's broadcast state
  subscriptions.push(
    connection.topic(topics.state, { qos: 0 }).subscribe({
      next: (m) => {
        if (ended) return;
        const decoded = decodeBroadcast(m.payload);
        if (decoded.ok) hostState$.next(decoded.value as S | undefined);
      },
      error: () => {},
    }),
  );

  // --- connection lifecycle
  let firstLink = true;
  subscriptions.push(
    connection.state.value$.subscribe((s) => {
      if (ended) return;
      if (s.status === 'closed') {
        end({ status: 'closed' });
        return;
      }
      const up = s.status === 'connected';
      if (up && !connected) {
        connected = true;
        if (!firstLink) session = (session + 1) & 0xff;
        firstLink = false;
        setStatus({ status: 'joining' });
        // After the connection re-subscribed on this CONNACK, so the host's answer finds us listening.
        queueMicrotask(() => {
          if (ended || !connected) return;
          const presence = JSON.stringify({ v: ROOM_PROTOCOL_VERSION, session, ...(name !== undefined ? { name } : {}) });
          void publish(presenceTopic, presence, { qos: 1, retain: true, whenOffline: 'drop' });
          void sendJoin();
        });
      } else if (!up && connected) {
        connected = false;
        setStatus({ status: 'joining' });
      }
    }),
  );

  // Joins can be lost (host not subscribed yet, host restarting): ask again until answered.
  subscriptions.push(
    scheduler.schedule(function (this: SchedulerAction<undefined>) {
      if (ended) return;
      if (connected && status$.value.status === 'joining') void sendJoin();
      this.schedule(undefined, joinRetryMs);
    }, joinRetryMs),
  );

  // --- browser: no input from a hidden or unfocused tab, and a vanished pad releases everything
  const targets = browserTargets(options.browserEvents);
  const suspend = () => {
    if (isPlaying()) void transmit(NEUTRAL);
  };
  const onVisibility = () => {
    const wasHidden = hidden;
    hidden = targets.document?.visibilityState === 'hidden';
    if (hidden && !wasHidden) suspend();
    else if (!hidden && wasHidden && !blurred && isPlaying()) void transmit(current);
  };
  const onBlur = () => {
    if (blurred) return;
    blurred = true;
    suspend();
  };
  const onFocus = () => {
    if (!blurred) return;
    blurred = false;
    if (!hidden && isPlaying()) void transmit(current);
  };
  const onPadGone = () => {
    if (isPlaying()) void transmit(NEUTRAL);
  };
  hidden = targets.document?.visibilityState === 'hidden';
  targets.document?.addEventListener('visibilitychange', onVisibility);
  targets.window?.addEventListener('blur', onBlur);
  targets.window?.addEventListener('focus', onFocus);
  targets.window?.addEventListener('gamepaddisconnected', onPadGone);
  function removeBrowserListeners() {
    targets.document?.removeEventListener('visibilitychange', onVisibility);
    targets.window?.removeEventListener('blur', onBlur);
    targets.window?.removeEventListener('focus', onFocus);
    targets.window?.removeEventListener('gamepaddisconnected', onPadGone);
  }

  let leaving: Promise<void> | undefined;

  return {
    room,
    status$: status$.asObservable(),
    get status() {
      return status$.value;
    },
    rtt$: rtt$.asObservable(),
    get rtt() {
      return rtt$.value;
    },
    hostState$: hostState$.asObservable() as Observable<S | undefined>,
    get hostState() {
      return hostState$.value;
    },
    send(state) {
      if (ended) throw new CoplayError('ROOM_CLOSED', `guest has left room ${room} (${status$.value.status})`);
      setCurrent(normalizeState(state));
    },
    attach(state$, attachOptions = {}) {
      if (ended) throw new CoplayError('ROOM_CLOSED', `guest has left room ${room} (${status$.value.status})`);
      // Keyframes come from the room's own timer, so the sampler only sends changes.
      const sampler = sampleInput({ hz: attachOptions.hz ?? 60, keyframeMs: Number.POSITIVE_INFINITY, scheduler });
      attachment?.unsubscribe();
      const mine = state$.pipe(sampler).subscribe({ next: setCurrent, error: () => setCurrent(NEUTRAL) });
      attachment = mine;
      return () => {
        if (attachment !== mine) {
          mine.unsubscribe();
          return;
        }
        attachment = undefined;
        mine.unsubscribe();
        if (!ended) setCurrent(NEUTRAL);
      };
    },
    leave() {
      if (leaving) return leaving;
      if (ended) return (leaving = Promise.resolve());
      const sends: Promise<boolean>[] = [];
      if (isPlaying()) sends.push(transmit(NEUTRAL));
      current = NEUTRAL;
      sends.push(
        sendUp({ t: 'leave' }, { whenOffline: 'drop' }),
        publish(presenceTopic, '', { qos: 1, retain: true, whenOffline: 'drop' }),
      );
      end({ status: 'closed' });
      leaving = Promise.allSettled(sends).then(() => undefined);
      return leaving;
    },
  };
}

