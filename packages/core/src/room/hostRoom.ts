import { asyncScheduler, BehaviorSubject, type SchedulerAction, type Subscription } from 'rxjs';
import type { Connection, Message, PublishOptions } from '../connection/types';
import { CoplayError } from '../errors/CoplayError';
import { ALL_BUTTONS, NEUTRAL, type ControllerState } from '../input/ControllerState';
import { parseUp, type DownMessage, type HostPresence } from './controlMessages';
import { ALL_PERMISSIONS, type Permissions } from './Permissions';
import { PlayerInput, type FrameVerdict } from './PlayerInput';
import { ROOM_PROTOCOL_VERSION, roomTopics } from './roomTopics';
import { RttEstimator } from './RttEstimator';
import type { HostRoom, HostRoomOptions, PendingGuest, PlayerInfo, RoomStats } from './types';
import { validateId } from './validateId';
import { isUint8Array } from '../util/isUint8Array';

const MAX_SLOTS = 16;
const STATS_INTERVAL_MS = 100;
/** Pongs older than this are from another era (e.g. before a host reconnect) and ignored. */
const MAX_RTT_MS = 60_000;

interface PlayerRecord {
  slot: number;
  id: string;
  name: string;
  status: PlayerInfo['status'];
  session: number;
  permissions: Permissions;
  throttled: boolean;
  rtt: RttEstimator;
  input: PlayerInput | undefined;
}

type MutableStats = { -readonly [K in keyof RoomStats]: RoomStats[K] };

const VERDICT_STAT: Record<FrameVerdict, keyof RoomStats> = {
  applied: 'applied',
  unchanged: 'unchanged',
  malformed: 'malformed',
  duplicate: 'duplicate',
  outOfOrder: 'outOfOrder',
  staleSession: 'staleSession',
  throttled: 'throttled',
};

function checkPermissions(p: Partial<Permissions>, where: string): void {
  const bad = (k: string, max: number) => {
    const v = (p as Record<string, unknown>)[k];
    return v !== undefined && !(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max);
  };
  if (!p || typeof p !== 'object' || bad('buttons', ALL_BUTTONS) || bad('axes', 0b1111) || bad('triggers', 0b11)) {
    throw new CoplayError('INVALID_OPTIONS', `${where}: permissions are masks (buttons ≤ 0x1ffff, axes ≤ 0b1111, triggers ≤ 0b11)`, {
      details: { permissions: p },
    });
  }
}

function resolveOptions(options: HostRoomOptions) {
  if (!options || typeof options !== 'object') throw new CoplayError('INVALID_OPTIONS', 'hostRoom needs an options object');
  const room = validateId(options.room, 'room');
  const admission = options.admission ?? 'auto';
  if (admission !== 'auto' && admission !== 'manual') {
    throw new CoplayError('INVALID_OPTIONS', `admission must be 'auto' or 'manual', got ${JSON.stringify(admission)}`);
  }
  const maxPlayers = options.maxPlayers ?? 4;
  if (!Number.isInteger(maxPlayers) || maxPlayers < 2 || maxPlayers > MAX_SLOTS) {
    throw new CoplayError('INVALID_OPTIONS', `maxPlayers must be an integer in 2..${MAX_SLOTS} (the host is player 1), got ${maxPlayers}`);
  }
  const positive = (name: string, v: number, allowZero = false) => {
    if (!(typeof v === 'number' && (allowZero ? v >= 0 : v > 0) && v < Number.POSITIVE_INFINITY)) {
      throw new CoplayError('INVALID_OPTIONS', `${name} must be a ${allowZero ? 'non-negative' : 'positive'} finite number, got ${v}`);
    }
    return v;
  };
  const maxFramesPerSecond = positive('rateLimit.maxFramesPerSecond', options.rateLimit?.maxFramesPerSecond ?? 120);
  const permissions = { ...ALL_PERMISSIONS, ...(options.permissions ?? {}) };
  checkPermissions(permissions, 'options.permissions');
  return {
    room,
    admission,
    maxPlayers,
    silenceMs: positive('silenceMs', options.silenceMs ?? 250),
    releaseMs: positive('releaseMs', options.releaseMs ?? 5000, true),
    pingIntervalMs: positive('pingIntervalMs', options.pingIntervalMs ?? 1000),
    maxFramesPerSecond,
    burst: positive('rateLimit.burst', options.rateLimit?.burst ?? Math.max(8, Math.ceil(maxFramesPerSecond / 4))),
    permissions: Object.freeze(permissions) as Permissions,
    scheduler: options.scheduler ?? asyncScheduler,
  };
}

const toInfo = (r: PlayerRecord): PlayerInfo => ({
  slot: r.slot,
  id: r.id,
  name: r.name,
  status: r.status,
  ...(r.rtt.srtt !== undefined ? { rttMs: Math.round(r.rtt.srtt * 10) / 10 } : {}),
  ...(r.rtt.rttvar !== undefined ? { jitterMs: Math.round(r.rtt.rttvar * 10) / 10 } : {}),
  permissions: r.permissions,
  throttled: r.throttled,
});

/** Binary broadcasts are prefixed with a 0x00 byte, which no JSON text starts with. */
function encodeBroadcast(state: unknown): string | Uint8Array {
  if (isUint8Array(state)) {
    const out = new Uint8Array(state.length + 1);
    out.set(state, 1);
    return out;
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(state);
  } catch (cause) {
    throw new CoplayError('INVALID_PAYLOAD', 'broadcast state cannot be serialised as JSON', { cause });
  }
  if (json === undefined) throw new CoplayError('INVALID_PAYLOAD', `broadcast state of type ${typeof state} has no JSON form`);
  return json;
}

/**
 * Opens a co-play room on a connection: guests join and get player slots 2..maxPlayers, their
 * input frames become one clean {@link ControllerState} stream per slot.
 *
 * The connection should carry {@link hostWill} as its last will, so guests notice a crashed host.
 * @throws CoplayError `INVALID_ID` for a bad room id, `INVALID_OPTIONS` for bad options.
 * @example
 * const host = hostRoom(conn, { room: 'living-room', maxPlayers: 2 });
 * host.input$(2).subscribe((pad) => game.setController(2, pad));
 */
export function hostRoom<S = unknown>(connection: Connection, options: HostRoomOptions): HostRoom<S> {
  const o = resolveOptions(options);
  const { scheduler } = o;
  const topics = roomTopics(o.room);
  const inputPrefix = `${topics.root}/in/`;
  const presencePrefix = `${topics.root}/presence/`;
  const upPrefix = `${topics.root}/ctl/up/`;

  const slots = new Map<number, BehaviorSubject<ControllerState>>();
  for (let s = 2; s <= o.maxPlayers; s++) slots.set(s, new BehaviorSubject<ControllerState>(NEUTRAL));
  const records = new Map<number, PlayerRecord>(); // by slot, including `left`
  const occupants = new Map<string, PlayerRecord>(); // by id, not `left`
  const pendingById = new Map<string, PendingGuest & { session: number }>();
  const banned = new Set<string>();
  const players$ = new BehaviorSubject<readonly PlayerInfo[]>([]);
  const pending$ = new BehaviorSubject<readonly PendingGuest[]>([]);
  const counters: MutableStats = {
    frames: 0,
    applied: 0,
    unchanged: 0,
    malformed: 0,
    duplicate: 0,
    outOfOrder: 0,
    staleSession: 0,
    throttled: 0,
    unknownSender: 0,
    badControl: 0,
  };
  const stats$ = new BehaviorSubject<RoomStats>({ ...counters });
  let statsFlush: Subscription | undefined;
  let closed = false;
  const subscriptions: Subscription[] = [];

  const bumpStat = (key: keyof RoomStats) => {
    counters[key]++;
    // Under a flood, one stats emission per interval instead of one per frame.
    statsFlush ??= scheduler.schedule(() => {
      statsFlush = undefined;
      if (!closed) stats$.next({ ...counters });
    }, STATS_INTERVAL_MS);
  };

  const emitPlayers = () => {
    if (closed) return;
    players$.next([...records.values()].sort((a, b) => a.slot - b.slot).map(toInfo));
  };
  const emitPending = () => {
    if (closed) return;
    pending$.next([...pendingById.values()].map(({ id, name, since }) => ({ id, name, since })));
  };

  const publish = (topic: string, payload: string | Uint8Array, opts: PublishOptions): Promise<boolean> => {
    try {
      // Failures are reported through state (the guest re-joins); never an unhandled rejection.
      return connection.publish(topic, payload, opts).catch(() => false);
    } catch {
      return Promise.resolve(false);
    }
  };
  const sendDown = (id: string, message: DownMessage, opts: PublishOptions = {}) =>
    publish(topics.down(id), JSON.stringify(message), { qos: 1, ...opts });

  const lowestFreeSlot = (id: string): number | undefined => {
    // A returning guest gets its old slot back when nobody took it meanwhile.
    for (const r of records.values()) if (r.id === id && r.status === 'left') return r.slot;
    for (let s = 2; s <= o.maxPlayers; s++) {
      const r = records.get(s);
      if (!r || r.status === 'left') return s;
    }
    return undefined;
  };

  const free = (record: PlayerRecord) => {
    if (record.status === 'left') return;
    record.input?.dispose(); // zeroes the slot: a freed slot never holds a button
    record.input = undefined;
    record.status = 'left';
    record.throttled = false;
    if (occupants.get(record.id) === record) occupants.delete(record.id);
    emitPlayers();
  };

  const seat = (id: string, name: string, session: number) => {
    const slot = lowestFreeSlot(id);
    if (slot === undefined) {
      void sendDown(id, { t: 'reject', reason: 'full' });
      return;
    }
    const record: PlayerRecord = {
      slot,
      id,
      name,
      status: 'playing',
      session,
      permissions: o.permissions,
      throttled: false,
      rtt: new RttEstimator(),
      input: undefined,
    };
    const subject = slots.get(slot)!;
    record.input = new PlayerInput(
      {
        scheduler,
        silenceMs: o.silenceMs,
        releaseMs: o.releaseMs,
        maxFramesPerSecond: o.maxFramesPerSecond,
        burst: o.burst,
        permissions: record.permissions,
        session,
      },
      {
        state: (s) => {
          if (!closed) subject.next(s);
        },
        status: (s) => {
          record.status = s;
          emitPlayers();
        },
        throttled: (flag) => {
          record.throttled = flag;
          emitPlayers();
        },
        released: () => free(record),
      },
    );
    records.set(slot, record);
    occupants.set(id, record);
    emitPlayers();
    void sendDown(id, { t: 'slot', slot, session });
  };

  const onJoin = (id: string, session: number, name: string | undefined) => {
    if (banned.has(id)) {
      void sendDown(id, { t: 'reject', reason: 'kicked' });
      return;
    }
    const record = occupants.get(id);
    if (record) {
      // A re-join (reconnect, or the host came back): same slot, and frames of the old session
      // can no longer be applied.
      if (record.session !== session) {
        record.session = session;
        record.input?.resetSession(session);
      }
      if (name !== undefined && name !== record.name) {
        record.name = name;
        emitPlayers();
      }
      void sendDown(id, { t: 'slot', slot: record.slot, session });
      return;
    }
    const waiting = pendingById.get(id);
    if (waiting || o.admission === 'manual') {
      pendingById.set(id, { id, name: name ?? waiting?.name ?? id, since: waiting?.since ?? scheduler.now(), session });
      emitPending();
      void sendDown(id, { t: 'waiting', session });
      return;
    }
    seat(id, name ?? id, session);
  };

  const onUp = (id: string, payload: Uint8Array) => {
    const message = parseUp(payload);
    if (!message) {
      bumpStat('badControl');
      return;
    }
    switch (message.t) {
      case 'join':
        onJoin(id, message.session, message.name);
        break;
      case 'leave': {
        const record = occupants.get(id);
        if (record) free(record);
        if (pendingById.delete(id)) emitPending();
        break;
      }
      case 'pong': {
        const record = occupants.get(id);
        const rtt = scheduler.now() - message.ts;
        if (!record || !(rtt >= 0 && rtt < MAX_RTT_MS)) return;
        record.rtt.sample(rtt);
        emitPlayers();
        break;
      }
    }
  };

  const onPresence = (id: string, payload: Uint8Array) => {
    // Only an empty payload matters: the guest's last will (or its clean leave) cleared presence.
    if (payload.length !== 0) return;
    occupants.get(id)?.input?.interrupt();
    if (pendingById.delete(id)) emitPending();
  };

  const onInput = (m: Message) => {
    if (closed) return;
    counters.frames++;
    // Hot path: no id validation here; only validated (seated) ids are in `occupants`.
    const record = m.topic.startsWith(inputPrefix) ? occupants.get(m.topic.slice(inputPrefix.length)) : undefined;
    if (!record?.input) {
      bumpStat('unknownSender');
      return;
    }
    bumpStat(VERDICT_STAT[record.input.receive(m.payload)]);
  };

  // The client id is the last topic level; anything that is not a valid id is garbage.
  const idAfter = (prefix: string, topic: string): string | undefined => {
    if (!topic.startsWith(prefix)) return undefined;
    const id = topic.slice(prefix.length);
    try {
      return validateId(id, 'client');
    } catch {
      return undefined;
    }
  };
  const route = (handler: (id: string, payload: Uint8Array) => void, prefix: string) => (m: Message) => {
    if (closed) return;
    const id = idAfter(prefix, m.topic);
    if (id === undefined) {
      bumpStat('badControl');
      return;
    }
    handler(id, m.payload);
  };
  const onError = () => {
    // A refused subscription (broker ACL) is a deployment error, surfaced on the connection; the
    // room stays usable for what it can still do.
  };

  subscriptions.push(
    connection.topic(`${topics.root}/in/+`, { qos: 0 }).subscribe({ next: onInput, error: onError }),
    connection.topic(`${topics.root}/presence/+`, { qos: 1 }).subscribe({ next: route(onPresence, presencePrefix), error: onError }),
    connection.topic(`${topics.root}/ctl/up/+`, { qos: 1 }).subscribe({ next: route(onUp, upPrefix), error: onError }),
  );

  const presence: HostPresence = { v: ROOM_PROTOCOL_VERSION, admission: o.admission, maxPlayers: o.maxPlayers };
  let wasConnected = false;
  subscriptions.push(
    connection.state.value$.subscribe((s) => {
      const connected = s.status === 'connected';
      if (connected && !wasConnected) {
        // After the connection re-subscribed on this CONNACK, so guests' joins find us listening.
        // Guests re-join when they see it, which also re-syncs them after a host outage.
        queueMicrotask(() => {
          if (!closed) void publish(topics.host, JSON.stringify(presence), { qos: 1, retain: true, whenOffline: 'drop' });
        });
      }
      wasConnected = connected;
    }),
  );

  const pingTimer = scheduler.schedule(function (this: SchedulerAction<undefined>) {
    if (closed) return;
    const ts = scheduler.now();
    for (const r of occupants.values()) {
      void sendDown(
        r.id,
        {
          t: 'ping',
          ts,
          ...(r.rtt.srtt !== undefined ? { rtt: Math.round(r.rtt.srtt * 10) / 10 } : {}),
          ...(r.rtt.rttvar !== undefined ? { jitter: Math.round(r.rtt.rttvar * 10) / 10 } : {}),
        },
        // A ping is only worth its moment: never queued offline.
        { whenOffline: 'drop' },
      );
    }
    this.schedule(undefined, o.pingIntervalMs);
  }, o.pingIntervalMs);
  subscriptions.push(pingTimer);

  const checkSlot = (slot: number) => {
    const subject = slots.get(slot);
    if (!subject) {
      throw new CoplayError('INVALID_OPTIONS', `slot must be an integer in 2..${o.maxPlayers} (the host is player 1), got ${slot}`);
    }
    return subject;
  };
  const checkId = (id: string) => validateId(id, 'client');

  let closing: Promise<void> | undefined;

  return {
    room: o.room,
    players$: players$.asObservable(),
    get players() {
      return players$.value;
    },
    pending$: pending$.asObservable(),
    get pending() {
      return pending$.value;
    },
    input$(slot) {
      return checkSlot(slot).asObservable();
    },
    input(slot) {
      return checkSlot(slot).value;
    },
    admit(id) {
      checkId(id);
      const waiting = pendingById.get(id);
      if (closed || !waiting) return false;
      pendingById.delete(id);
      emitPending();
      seat(id, waiting.name, waiting.session);
      return true;
    },
    reject(id, reason = 'rejected') {
      checkId(id);
      if (closed || !pendingById.delete(id)) return false;
      emitPending();
      void sendDown(id, { t: 'reject', reason: String(reason) });
      return true;
    },
    kick(id, reason) {
      checkId(id);
      if (closed) return false;
      const record = occupants.get(id);
      const wasPending = pendingById.delete(id);
      if (!record && !wasPending) return false;
      banned.add(id);
      if (record) free(record);
      if (wasPending) emitPending();
      void sendDown(id, reason === undefined ? { t: 'kick' } : { t: 'kick', reason: String(reason) });
      return true;
    },
    setPermissions(id, permissions) {
      checkId(id);
      checkPermissions(permissions, 'setPermissions');
      const record = occupants.get(id);
      if (closed || !record) return false;
      record.permissions = Object.freeze({ ...record.permissions, ...permissions });
      record.input?.setPermissions(record.permissions);
      emitPlayers();
      return true;
    },
    broadcast(state) {
      const payload = encodeBroadcast(state);
      if (closed) return Promise.reject(new CoplayError('ROOM_CLOSED', `room ${o.room} is closed`));
      return connection.publish(topics.state, payload, { qos: 0, retain: true, coalesceKey: topics.state });
    },
    stats$: stats$.asObservable(),
    get stats() {
      return { ...counters };
    },
    close() {
      if (closing) return closing;
      const sends: Promise<unknown>[] = [];
      for (const id of [...occupants.keys(), ...pendingById.keys()]) sends.push(sendDown(id, { t: 'closed' }, { whenOffline: 'drop' }));
      sends.push(
        publish(topics.host, '', { qos: 1, retain: true, whenOffline: 'drop' }),
        publish(topics.state, '', { qos: 1, retain: true, whenOffline: 'drop' }),
      );
      for (const r of occupants.values()) free(r);
      closed = true;
      statsFlush?.unsubscribe();
      for (const s of subscriptions) s.unsubscribe();
      stats$.next({ ...counters });
      for (const subject of slots.values()) {
        if (subject.value !== NEUTRAL) subject.next(NEUTRAL);
        subject.complete();
      }
      players$.complete();
      pending$.complete();
      stats$.complete();
      closing = Promise.allSettled(sends).then(() => undefined);
      return closing;
    },
  };
}
