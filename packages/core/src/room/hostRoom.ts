import { asyncScheduler, Observable, Subscription } from 'rxjs';
import { concatBytes } from '@noble/hashes/utils';
import type { Connection, Message, PublishOptions } from '../connection/types';
import { CoplayError } from '../errors/CoplayError';
import { ALL_BUTTONS, NEUTRAL, type ControllerState } from '../input/ControllerState';
import { createLive, type LiveSource } from '../store/createLive';
import { isUint8Array } from '../util/isUint8Array';
import { positiveNumber } from '../util/positiveNumber';
import { jsonBytes, parseGuestPresence, parseJsonObject, parseUp, type DownBody, type HostPresence, type UpMessage } from './controlMessages';
import { hostWill } from './hostWill';
import type { RoomInvite } from './invite';
import { LinkMacs, seal, unseal } from './LinkMacs';
import { ALL_PERMISSIONS, type Permissions } from './Permissions';
import { PlayerInput, type FrameVerdict } from './PlayerInput';
import { QuietGate } from './QuietGate';
import { CONTROL_TAG_BYTES, createHostKeys, deriveLinkKeys, fromBase64Url, PUBLIC_KEY_BYTES, signBody, toBase64Url, type HostKeys, type LinkKeys } from './roomCrypto';
import { refusalOf } from './refusalOf';
import { farewells } from './farewells';
import { roomPublisher } from './roomPublisher';
import { checkRoomFits, randomLinkId, ROOM_PROTOCOL_VERSION, roomTopics, topicLimitsOf } from './roomTopics';
import { RttEstimator } from './RttEstimator';
import { TokenBucket } from './TokenBucket';
import type { HostRoom, HostRoomOptions, HostStatus, PendingGuest, PlayerInfo, RoomStats } from './types';
import { validateId } from './validateId';

const MAX_SLOTS = 16;
const STATS_INTERVAL_MS = 100;
/** Pongs older than this are from another era (e.g. before a host reconnect) and ignored. */
const MAX_RTT_MS = 60_000;
/** Guests remembered (replay counters, keys) beyond the seated and waiting ones. */
const MAX_PEERS = 512;
/** New key agreements per second (a flood of joins with fresh keys costs the host ECDH work). */
const JOIN_RATE = 50;
/**
 * Without `outgoing`, the host sends on the input link only after this long without input: longer
 * than Linux's delayed-ACK timeout (40 ms), so its send cannot put the socket in pingpong mode.
 */
const PING_GAP_MS = 45;
/** How often a room waiting for such a gap looks (one timer shared by all rooms). */
const GAP_TICK_MS = 15;
/** A look later than this says the event loop was busy, and input may sit unread in the socket. */
const GAP_MAX_LATE_MS = 5;
/** Rooms sharing a gap (all guests paused at once, a stalled host) ping up to this much apart. */
const GAP_SPREAD_MS = 2 * GAP_TICK_MS;
/** The host re-publishes its presence for guests' `hello` at most this often. */
const HELLO_INTERVAL_MS = 1000;
/** At most one `rejoin` a second to a guest whose frames arrive while it holds no seat... */
const REJOIN_HINT_INTERVAL_MS = 1000;
/** ...and at most this many a second for the whole room (forged frames on many known topic ids). */
const REJOIN_HINT_RATE = 20;
/** Pings right after a guest is seated, this far apart. */
const JOIN_PINGS = 3;
const JOIN_PING_DELAY_MS = 20;
const JOIN_PING_SPACING_MS = 50;

/** One guest as the host knows it: its identity (key, or token without authentication) and link. */
interface Peer {
  /** `pk` in an authenticated room, else the guest's token. */
  readonly key: string;
  gid: string;
  clientId: string;
  keys: LinkKeys | undefined;
  macs: LinkMacs | undefined;
  /** Last accepted `n` of guest → host messages. */
  upN: number;
  /** Last `n` of the guest's pongs (QoS 0), checked apart from its QoS 1 messages: see handleUp. */
  pongN: number;
  record: PlayerRecord | undefined;
  pending: (PendingGuest & { session: number; nextSeq: number }) | undefined;
  banned: boolean;
  /** Scheduler time of the last `rejoin` sent to it. */
  rejoinHintAt?: number;
}

interface PlayerRecord {
  slot: number;
  peer: Peer;
  name: string;
  status: PlayerInfo['status'];
  session: number;
  permissions: Permissions;
  throttled: boolean;
  rtt: RttEstimator;
  /** Scheduler time of the newest RTT sample. */
  rttAt: number | undefined;
  /** The join pings still to go. */
  pinger: Subscription | undefined;
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
  forged: 'forged',
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

function checkOutgoing(outgoing: Connection | undefined): Connection | undefined {
  if (outgoing === undefined) return undefined;
  const c: Partial<Connection> | null = outgoing;
  if (!c || typeof c.publish !== 'function' || typeof c.setWill !== 'function' || !c.state) {
    throw new CoplayError('INVALID_OPTIONS', 'outgoing must be a Connection (createConnection)');
  }
  return outgoing;
}

function resolveOptions(options: HostRoomOptions) {
  if (!options || typeof options !== 'object') throw new CoplayError('INVALID_OPTIONS', 'hostRoom needs an options object');
  const room = validateId(options.room, 'room');
  const admission = options.admission ?? 'auto';
  if (admission !== 'auto' && admission !== 'manual') {
    throw new CoplayError('INVALID_OPTIONS', `admission must be 'auto' or 'manual', got ${JSON.stringify(admission)}`);
  }
  if (options.secure !== undefined && typeof options.secure !== 'boolean') throw new CoplayError('INVALID_OPTIONS', 'secure must be a boolean');
  const maxPlayers = options.maxPlayers ?? 4;
  if (!Number.isInteger(maxPlayers) || maxPlayers < 2 || maxPlayers > MAX_SLOTS) {
    throw new CoplayError('INVALID_OPTIONS', `maxPlayers must be an integer in 2..${MAX_SLOTS} (the host is player 1), got ${maxPlayers}`);
  }
  const maxFramesPerSecond = positiveNumber('rateLimit.maxFramesPerSecond', options.rateLimit?.maxFramesPerSecond ?? 120);
  const permissions = { ...ALL_PERMISSIONS, ...(options.permissions ?? {}) };
  checkPermissions(permissions, 'options.permissions');
  return {
    room,
    secure: options.secure !== false,
    admission,
    maxPlayers,
    silenceMs: positiveNumber('silenceMs', options.silenceMs ?? 200),
    releaseMs: positiveNumber('releaseMs', options.releaseMs ?? 5000, true),
    pingIntervalMs: positiveNumber('pingIntervalMs', options.pingIntervalMs ?? 1000),
    maxFramesPerSecond,
    burst: positiveNumber('rateLimit.burst', options.rateLimit?.burst ?? Math.max(8, Math.ceil(maxFramesPerSecond / 4))),
    permissions: Object.freeze(permissions) as Permissions,
    setWill: options.setWill !== false,
    outgoing: checkOutgoing(options.outgoing),
    scheduler: options.scheduler ?? asyncScheduler,
  };
}

const round1 = (v: number) => Math.round(v * 10) / 10;

const toInfo = (r: PlayerRecord): PlayerInfo => ({
  slot: r.slot,
  id: r.peer.gid,
  clientId: r.peer.clientId,
  name: r.name,
  status: r.status,
  // A lone first sample can be a stall (PROTOCOL.md, "Latency"): shown once the estimate settled.
  ...(r.rtt.srtt !== undefined && r.rtt.settled ? { rttMs: round1(r.rtt.srtt) } : {}),
  ...(r.rtt.rttvar !== undefined && r.rtt.settled ? { jitterMs: round1(r.rtt.rttvar) } : {}),
  ...(r.rttAt !== undefined && r.rtt.settled ? { rttAt: r.rttAt } : {}),
  permissions: r.permissions,
  throttled: r.throttled,
});

/** Binary broadcasts are prefixed with a 0x00 byte, which no JSON text starts with. */
function encodeBroadcast(state: unknown): Uint8Array {
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
  return new TextEncoder().encode(json);
}

const u32 = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0);
  return b;
};

/**
 * Opens a co-play room on a connection: guests join with the room's invite and get player slots
 * 2..maxPlayers, their input frames become one clean {@link ControllerState} per slot.
 *
 * By default the room is authenticated: it makes a key pair, `invite` carries the public key, and
 * every frame and control message is tagged with a key only the host and that guest share.
 * @throws CoplayError `INVALID_ID` for a bad room id, `TOPIC_TOO_LONG` when the room id is too long
 * for the connection's broker, `INVALID_OPTIONS` for bad options.
 * @example
 * const host = hostRoom(conn, { room: 'living-room', maxPlayers: 2 });
 * shareLink.href = `${location.origin}/play#${formatInvite(await host.invite)}`;
 * host.input(2).value$.subscribe((pad) => game.setController(2, pad));
 */
export function hostRoom<S = unknown>(connection: Connection, options: HostRoomOptions): HostRoom<S> {
  const o = resolveOptions(options);
  checkRoomFits(o.room, topicLimitsOf(connection));
  const { scheduler, secure } = o;
  const topics = roomTopics(o.room);
  const inputPrefix = `${topics.root}/i/`;
  const presencePrefix = `${topics.root}/p/`;
  const upPrefix = `${topics.root}/u/`;
  // Everything the host sends goes out on `out`: the input connection, or a second one so that the
  // socket carrying guests' input never sends (PROTOCOL.md, "Latency").
  const out = o.outgoing ?? connection;
  if (out !== connection) checkRoomFits(o.room, topicLimitsOf(out));
  // Pings wait for a gap in the input on the input link; on `outgoing` they need not.
  const gate = new QuietGate(scheduler, { gapMs: PING_GAP_MS, tickMs: GAP_TICK_MS, maxLateMs: GAP_MAX_LATE_MS, spreadMs: GAP_SPREAD_MS, direct: out !== connection });
  if (o.setWill) out.setWill(hostWill(o.room));

  const slots = new Map<number, LiveSource<ControllerState>>();
  for (let s = 1; s <= o.maxPlayers; s++) slots.set(s, createLive<ControllerState>(NEUTRAL));
  const records = new Map<number, PlayerRecord>(); // by slot, including `left`
  const byGid = new Map<string, Peer>(); // the guest each topic id belongs to
  const peers = new Map<string, Peer>(); // by key (pk or token), insertion order = age
  const status = createLive<HostStatus>({ status: 'open' });
  const players = createLive<readonly PlayerInfo[]>([]);
  const pending = createLive<readonly PendingGuest[]>([]);
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
    forged: 0,
  };
  const stats = createLive<RoomStats>(Object.freeze({ ...counters }));
  let statsFlush: Subscription | undefined;
  let closed = false;
  const subscriptions: Subscription[] = [];
  const joinBucket = new TokenBucket(JOIN_RATE, JOIN_RATE);
  const rejoinBucket = new TokenBucket(REJOIN_HINT_RATE, REJOIN_HINT_RATE);

  /** Subscribers of `stats.value$`: without any, nothing needs a timer (`stats.value` reads the counters). */
  let statsWatchers = 0;
  const bumpStat = (key: keyof RoomStats) => {
    counters[key]++;
    if (statsWatchers === 0) return;
    // Under a flood, one stats emission per interval instead of one per frame.
    statsFlush ??= scheduler.schedule(() => {
      statsFlush = undefined;
      if (!closed) stats.set(Object.freeze({ ...counters }));
    }, STATS_INTERVAL_MS);
  };

  /** The counters as a Live value: always current, but the same object until a counter moved. */
  const currentStats = () => {
    const v = stats.live.value;
    for (const k in counters) {
      if (v[k as keyof RoomStats] !== counters[k as keyof RoomStats]) {
        stats.set(Object.freeze({ ...counters }));
        break;
      }
    }
    return stats.live.value;
  };
  const statsValue$ = new Observable<RoomStats>((subscriber) => {
    statsWatchers++;
    if (!closed) currentStats(); // counted while nobody watched: a new watcher starts from now
    const inner = stats.live.value$.subscribe(subscriber);
    return () => {
      statsWatchers--;
      inner.unsubscribe();
    };
  });

  const emitPlayers = () => {
    if (closed) return;
    players.set([...records.values()].sort((a, b) => a.slot - b.slot).map(toInfo));
  };
  const emitPending = () => {
    if (closed) return;
    const list: PendingGuest[] = [];
    for (const p of peers.values()) if (p.pending) list.push({ id: p.gid, clientId: p.clientId, name: p.pending.name, since: p.pending.since });
    pending.set(list);
  };

  // --- keys (authenticated rooms): the invite waits for them, and so does the host presence
  let keys: HostKeys | undefined;
  const keysReady: Promise<HostKeys | undefined> = secure ? createHostKeys() : Promise.resolve(undefined);
  const invite: Promise<RoomInvite> = keysReady.then((k) => ({ room: o.room, ...(k ? { key: toBase64Url(k.signPublic) } : {}) }));
  invite.catch(() => undefined); // the failure is reported through status
  keysReady.then(
    (k) => {
      keys = k;
      if (k && connected) void publishPresence();
    },
    (cause) => fail(new CoplayError('INVALID_OPTIONS', 'could not make the room keys (WebCrypto)', { cause })),
  );

  // A broker that refuses what the room must send ends the room; anything else (offline, closed)
  // is healed by the guests' re-joins.
  const publish = roomPublisher(out, (refusal) => fail(refusal));

  // One counter for the whole room: it only grows while the room lives, whatever the host forgets about a guest.
  let downN = 0;
  const sendDown = (peer: Peer, body: DownBody, opts: PublishOptions = {}) => {
    if (secure && !peer.macs) return Promise.resolve(false);
    const bytes = jsonBytes({ ...body, n: ++downN });
    return publish(topics.down(peer.gid), peer.macs ? seal(peer.macs.down, bytes) : bytes, { qos: 1, ...opts });
  };

  const lowestFreeSlot = (peer: Peer): number | undefined => {
    // A returning guest gets its old slot back when nobody took it meanwhile.
    for (const r of records.values()) if (r.peer === peer && r.status === 'left') return r.slot;
    for (let s = 2; s <= o.maxPlayers; s++) {
      const r = records.get(s);
      if (!r || r.status === 'left') return s;
    }
    return undefined;
  };

  const free = (record: PlayerRecord) => {
    if (record.status === 'left') return;
    record.rtt.reset(); // a freed slot shows no RTT
    record.rttAt = undefined;
    record.pinger?.unsubscribe();
    record.input?.dispose(); // zeroes the slot: a freed slot never holds a button
    record.input = undefined;
    record.status = 'left';
    record.throttled = false;
    if (record.peer.record === record) record.peer.record = undefined;
    emitPlayers();
  };

  const seat = (peer: Peer, name: string, session: number, nextSeq: number) => {
    const slot = lowestFreeSlot(peer);
    if (slot === undefined) {
      void sendDown(peer, { t: 'reject', reason: 'full' });
      return;
    }
    const record: PlayerRecord = {
      slot,
      peer,
      name,
      status: 'playing',
      session,
      permissions: o.permissions,
      throttled: false,
      rtt: new RttEstimator(),
      rttAt: undefined,
      pinger: undefined,
      input: undefined,
    };
    const live = slots.get(slot)!;
    record.input = new PlayerInput(
      {
        scheduler,
        silenceMs: o.silenceMs,
        releaseMs: o.releaseMs,
        maxFramesPerSecond: o.maxFramesPerSecond,
        burst: o.burst,
        permissions: record.permissions,
        session,
        nextSeq,
        ...(peer.macs ? { mac: peer.macs.frame } : {}),
      },
      {
        state: (s) => {
          if (!closed) live.set(s);
        },
        status: (s) => {
          record.status = s;
          if (s === 'interrupted') {
            record.rtt.reset(); // its old figure says nothing about the link it comes back on
            record.rttAt = undefined;
          }
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
    peer.record = record;
    // The answer before the player list: a page re-renders on that, maybe in a microtask ahead of the slot's write.
    void sendDown(peer, { t: 'slot', slot, session });
    emitPlayers();
    joinPings(record);
  };

  /** Points `gid` at `peer` (a new guest, a re-announce under a new client id, or a move to a link id). */
  const bind = (peer: Peer, gid: string) => {
    if (peer.gid !== gid && byGid.get(peer.gid) === peer) byGid.delete(peer.gid);
    peer.gid = gid;
    byGid.set(gid, peer);
    if (peer.keys && peer.macs?.gid !== gid) {
      peer.macs = new LinkMacs(peer.keys, o.room, gid);
      peer.record?.input?.setMac(peer.macs.frame);
    }
  };

  const remember = (peer: Peer) => {
    peers.delete(peer.key);
    peers.set(peer.key, peer);
    if (peers.size <= MAX_PEERS) return;
    for (const [key, old] of peers) {
      if (peers.size <= MAX_PEERS) break;
      // Seated, waiting and banned guests are kept; the rest only held replay counters.
      if (old.record || old.pending || old.banned) continue;
      peers.delete(key);
      if (byGid.get(old.gid) === old) byGid.delete(old.gid);
    }
  };

  const onJoin = (peer: Peer, gid: string, m: Extract<UpMessage, { t: 'join' }>) => {
    const holder = byGid.get(gid);
    if (holder && holder !== peer) {
      if (secure) {
        // Another key on a topic id someone holds: an impostor (or a reloaded page, which moves to a link id).
        bumpStat('forged');
        return;
      }
      // Without authentication the broker's ACL is the identity: the topic's owner came back as a new guest object.
      if (holder.record) {
        peer.record = holder.record;
        holder.record.peer = peer;
        holder.record = undefined;
      }
      holder.pending = undefined;
      if (holder.banned) peer.banned = true;
    }
    bind(peer, gid);
    peer.clientId = m.id;
    if (peer.banned) {
      void sendDown(peer, { t: 'reject', reason: 'kicked' });
      return;
    }
    const record = peer.record;
    if (record) {
      // A re-join (reconnect, new client id, or the host came back): same slot, and frames of the
      // old session can no longer be applied.
      if (record.session !== m.session) {
        record.session = m.session;
        record.input?.resetSession(m.session, m.q);
      }
      if (m.name !== undefined && m.name !== record.name) record.name = m.name;
      void sendDown(peer, { t: 'slot', slot: record.slot, session: m.session });
      emitPlayers();
      return;
    }
    if (peer.pending || o.admission === 'manual') {
      peer.pending = {
        id: gid,
        clientId: m.id,
        name: m.name ?? peer.pending?.name ?? m.id,
        since: peer.pending?.since ?? scheduler.now(),
        session: m.session,
        nextSeq: m.q,
      };
      emitPending();
      void sendDown(peer, { t: 'waiting', session: m.session });
      return;
    }
    seat(peer, m.name ?? m.id, m.session, m.q);
  };

  const handleUp = (peer: Peer, gid: string, m: UpMessage) => {
    // Pongs (QoS 0) and the rest (QoS 1) are checked apart: a broker may deliver a pong ahead of a
    // `leave` or `join` the guest sent just before it, and that message is no replay (one `n` for both).
    const pong = m.t === 'pong';
    if (m.n <= (pong ? peer.pongN : peer.upN)) {
      // A replay, or a broker's re-delivery (QoS 1): authentic but not new. Counted in both modes.
      bumpStat('forged');
      return;
    }
    if (pong) peer.pongN = m.n;
    else peer.upN = m.n;
    switch (m.t) {
      case 'join':
        onJoin(peer, gid, m);
        break;
      case 'leave':
        if (byGid.get(gid) !== peer) return;
        if (peer.record) free(peer.record);
        if (peer.pending) {
          peer.pending = undefined;
          emitPending();
        }
        break;
      case 'pong': {
        const record = peer.record;
        const rtt = scheduler.now() - m.ts;
        if (!record || byGid.get(gid) !== peer || !(rtt >= 0 && rtt < MAX_RTT_MS)) return;
        record.rtt.sample(rtt);
        record.rttAt = scheduler.now();
        emitPlayers();
        break;
      }
    }
  };

  // Key agreements in flight, so a guest's later messages wait for its join (order matters).
  const inFlight = new Map<string, Promise<void>>();
  const derived = new Map<string, Promise<LinkKeys | undefined>>();

  const deriveFor = (pk: string): Promise<LinkKeys | undefined> | undefined => {
    const known = derived.get(pk);
    if (known) return known;
    const raw = fromBase64Url(pk);
    if (!keys || raw?.length !== PUBLIC_KEY_BYTES) return undefined;
    if (!joinBucket.take(scheduler.now())) {
      bumpStat('throttled');
      return undefined;
    }
    const k = keys;
    const p = deriveLinkKeys(k.dhPrivate, raw, o.room, k.dhPublic, raw).catch(() => undefined);
    derived.set(pk, p);
    if (derived.size > MAX_PEERS) derived.delete(derived.keys().next().value!);
    return p;
  };

  const onSecureUp = (gid: string, payload: Uint8Array) => {
    const holder = byGid.get(gid);
    const body = holder?.macs ? unseal(holder.macs.up, payload) : undefined;
    if (body) {
      const m = parseUp(body);
      if (!m) bumpStat('badControl');
      else handleUp(holder!, gid, m);
      return;
    }
    // Not from the topic's guest: a join from a new guest (or the same guest under a new topic id) carries its key.
    const m = payload.length > CONTROL_TAG_BYTES ? parseUp(payload.subarray(CONTROL_TAG_BYTES)) : undefined;
    if (!m) {
      bumpStat(parseJsonObject(payload) ? 'forged' : 'badControl'); // untagged JSON is a forgery attempt
      return;
    }
    if (m.t !== 'join' || m.pk === undefined) {
      bumpStat('forged');
      return;
    }
    const pk = m.pk;
    const known = peers.get(pk);
    if (known?.keys) {
      const macs = new LinkMacs(known.keys, o.room, gid);
      if (!unseal(macs.up, payload)) bumpStat('forged');
      else handleUp(known, gid, m);
      return;
    }
    const agreeing = deriveFor(pk);
    if (!agreeing) {
      if (!keys || fromBase64Url(pk)?.length !== PUBLIC_KEY_BYTES) bumpStat('forged');
      return;
    }
    const done = agreeing.then((linkKeys) => {
      if (closed) return;
      if (!linkKeys) {
        bumpStat('forged');
        return;
      }
      const macs = new LinkMacs(linkKeys, o.room, gid);
      if (!unseal(macs.up, payload)) {
        bumpStat('forged');
        return;
      }
      let peer = peers.get(pk);
      if (!peer) {
        peer = { key: pk, gid, clientId: m.id, keys: linkKeys, macs, upN: -1, pongN: -1, record: undefined, pending: undefined, banned: false };
        remember(peer);
      }
      handleUp(peer, gid, m);
    });
    chain(gid, done);
  };

  const chain = (gid: string, step: Promise<void>) => {
    const next = step.finally(() => {
      if (inFlight.get(gid) === next) inFlight.delete(gid);
    });
    inFlight.set(gid, next);
  };

  const onPlainUp = (gid: string, payload: Uint8Array) => {
    const m = parseUp(payload);
    if (!m) {
      bumpStat('badControl');
      return;
    }
    let peer = byGid.get(gid);
    if (m.t === 'join') {
      const mine = peers.get(m.tok);
      if (mine) peer = mine;
      else {
        peer = { key: m.tok, gid, clientId: m.id, keys: undefined, macs: undefined, upN: -1, pongN: -1, record: undefined, pending: undefined, banned: false };
        remember(peer);
      }
    }
    if (!peer) return; // leave or pong from nobody we know
    handleUp(peer, gid, m);
  };

  // A guest that sees no host presence asks for it (`hello`, plain and unauthenticated: it asks for
  // nothing but a re-publish, at most once per HELLO_INTERVAL_MS). It heals a retained presence that
  // someone deleted, or one a broker cluster has not copied to the guest's node yet.
  let lastHelloAt = Number.NEGATIVE_INFINITY;
  const onHello = () => {
    const now = scheduler.now();
    if (now - lastHelloAt < HELLO_INTERVAL_MS) return;
    lastHelloAt = now;
    if (connected) void publishPresence();
  };
  const onUp = (gid: string, payload: Uint8Array) => {
    if (payload[0] === 0x7b /* { */ && parseJsonObject(payload)?.t === 'hello') {
      onHello();
      return;
    }
    const run = () => (secure ? onSecureUp(gid, payload) : onPlainUp(gid, payload));
    const waiting = inFlight.get(gid);
    if (waiting) chain(gid, waiting.then(() => (closed ? undefined : run())));
    else run();
  };

  const onPresence = (gid: string, payload: Uint8Array) => {
    const peer = byGid.get(gid);
    if (payload.length === 0) {
      // The guest's last will or clean leave. In an authenticated room anyone could send it, so it
      // is not trusted there: silence (silenceMs) tells the same a little later.
      if (secure || !peer) return;
      peer.record?.input?.interrupt();
      if (peer.pending) {
        peer.pending = undefined;
        emitPending();
      }
      return;
    }
    if (secure) {
      if (peer?.macs) {
        const body = unseal(peer.macs.presence, payload);
        if (!body) bumpStat('forged');
        else if (!parseGuestPresence(body)) bumpStat('badControl');
        return;
      }
      // Not verifiable yet (the join comes next); only plain garbage is counted.
      if (payload.length <= CONTROL_TAG_BYTES || !parseGuestPresence(payload.subarray(CONTROL_TAG_BYTES))) bumpStat('badControl');
      return;
    }
    if (!parseGuestPresence(payload)) bumpStat('badControl');
  };

  const onInput = (m: Message) => {
    if (closed) return;
    counters.frames++;
    const now = scheduler.now();
    gate.heard(now);
    // Hot path: no id validation here; only known topic ids are in `byGid`.
    const peer = m.topic.startsWith(inputPrefix) ? byGid.get(m.topic.slice(inputPrefix.length)) : undefined;
    const record = peer?.record;
    if (!record?.input) {
      bumpStat('unknownSender');
      if (peer) hintRejoin(peer, m.payload, now);
      return;
    }
    bumpStat(VERDICT_STAT[record.input.receive(m.payload, now)]);
  };

  // A guest we know but no longer seat still sends input: it believes it plays. That happens when its
  // slot was freed while the host could not hear it (the host's own link was down longer than
  // releaseMs, or a broker cluster lost the route), and a guest whose input never pauses gives the
  // host no gap to ping in, so it would never notice. Tell it to join again (PROTOCOL.md, "Silence,
  // interruption, release"). The frame is not checked: whoever sent it, a guest without a seat that
  // thinks it has one is wrong. Bounded per guest and per room, so forged frames buy little traffic.
  const hintRejoin = (peer: Peer, frame: Uint8Array, now: number) => {
    if (peer.pending || peer.banned || frame.length < 2 || closed || !connected) return;
    if (peer.rejoinHintAt !== undefined && now - peer.rejoinHintAt < REJOIN_HINT_INTERVAL_MS) return;
    if (!rejoinBucket.take(now)) return;
    peer.rejoinHintAt = now;
    void sendDown(peer, { t: 'rejoin', session: frame[1]! }, { whenOffline: 'drop' });
  };

  // The topic id is the last topic level; anything that is not a valid id is garbage.
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
    gate.heard(scheduler.now());
    const id = idAfter(prefix, m.topic);
    if (id === undefined) {
      bumpStat('badControl');
      return;
    }
    handler(id, m.payload);
  };
  const onError = (filter: string) => (e: unknown) =>
    fail(refusalOf(e, filter) ?? new CoplayError('SUBSCRIBE_FAILED', `subscription to ${filter} failed`, { cause: e }));

  const listen = (filter: string, qos: 0 | 1, next: (m: Message) => void) =>
    subscriptions.push(connection.topic(filter, { qos }).subscribe({ next, error: onError(filter) }));
  listen(`${topics.root}/i/+`, 0, onInput);
  listen(`${topics.root}/p/+`, 1, route(onPresence, presencePrefix));
  listen(`${topics.root}/u/+`, 1, route(onUp, upPrefix));

  let presenceN = 0;
  // Tells guests this is a new host object, whose control counter starts again (PROTOCOL.md, "Replays").
  const instance = randomLinkId();
  let connected = false;
  const publishPresence = async () => {
    if (closed || (secure && !keys)) return;
    const presence: HostPresence = {
      v: ROOM_PROTOCOL_VERSION,
      n: ++presenceN,
      admission: o.admission,
      maxPlayers: o.maxPlayers,
      pingMs: o.pingIntervalMs,
      inst: instance,
      ...(keys ? { dk: toBase64Url(keys.dhPublic) } : {}),
    };
    const body = jsonBytes(presence);
    const payload = keys ? concatBytes(await signBody(keys.signPrivate, 'h', o.room, body), body) : body;
    if (!closed) await publish(topics.host, payload, { qos: 1, retain: true, whenOffline: 'drop' });
  };
  // Presence goes out when both links are up (the same one, without `outgoing`): after the input
  // connection re-subscribed on its CONNACK, so guests' joins find us listening. Guests re-join when
  // they see it, which also re-syncs them after a host outage.
  let inUp = false;
  let outUp = false;
  const onLinks = () => {
    const up = inUp && outUp;
    if (up && !connected) queueMicrotask(() => void publishPresence());
    connected = up;
  };
  subscriptions.push(
    connection.state.value$.subscribe((s) => {
      inUp = s.status === 'connected';
      if (out === connection) outUp = inUp;
      onLinks();
    }),
  );
  if (out !== connection) {
    subscriptions.push(
      out.state.value$.subscribe((s) => {
        outUp = s.status === 'connected';
        onLinks();
      }),
    );
  }

  // Pings (PROTOCOL.md, "Latency"). Each one the host sends on the input link while input flows puts
  // its socket's TCP into delayed-ACK mode, and a broker running Nagle then holds the next input
  // frames until that ACK (~40 ms). So: QoS 0 both ways (no PUBACKs); on the input link only in a
  // gap of the room's input (the QuietGate), never forced, so during unbroken input the RTT ages
  // (`rttAt` tells how much); with `outgoing` on schedule. A random phase and ±10 % jitter keep
  // rooms from pinging in the same tick.
  const sendPing = (peer: Peer) => {
    const r = peer.record;
    if (!r || r.status === 'left' || closed) return;
    void sendDown(
      peer,
      {
        t: 'ping',
        ts: scheduler.now(),
        ...(r.rtt.srtt !== undefined && r.rtt.settled ? { rtt: round1(r.rtt.srtt) } : {}),
        ...(r.rtt.rttvar !== undefined && r.rtt.settled ? { jitter: round1(r.rtt.rttvar) } : {}),
      },
      { qos: 0, whenOffline: 'drop' },
    );
  };
  /** Runs `send` in the first gap of the input from `delay` ms on; unsubscribing cancels either wait. */
  const quietAfter = (delay: number, send: () => void): Subscription => {
    const waits = new Subscription();
    waits.add(scheduler.schedule(() => waits.add(gate.whenQuiet(send)), delay));
    return waits;
  };
  let pingTimer: Subscription | undefined;
  const armPing = (delay: number) => {
    pingTimer = quietAfter(delay, () => {
      if (closed) return;
      for (const peer of byGid.values()) sendPing(peer);
      armPing(o.pingIntervalMs * (0.9 + 0.2 * Math.random()));
    });
  };
  armPing(Math.random() * o.pingIntervalMs);
  subscriptions.push({ unsubscribe: () => pingTimer?.unsubscribe() } as Subscription);
  /** A few pings right after seating, in gaps of the input like any other: the first RTT is right. */
  const joinPings = (record: PlayerRecord, left = JOIN_PINGS, delay = JOIN_PING_DELAY_MS) => {
    record.pinger = quietAfter(delay, () => {
      if (record.status === 'left') return;
      sendPing(record.peer);
      if (left > 1) joinPings(record, left - 1, JOIN_PING_SPACING_MS);
    });
  };

  const checkSlot = (slot: number): LiveSource<ControllerState> => {
    const live = slots.get(slot);
    if (!live) {
      throw new CoplayError('INVALID_OPTIONS', `slot must be an integer in 1..${o.maxPlayers} (1 is the host's own), got ${slot}`);
    }
    return live;
  };
  const peerOf = (id: string) => byGid.get(validateId(id, 'client'));

  let closing: Promise<void> | undefined;
  let broadcastN = 0;
  let signing: Promise<unknown> = Promise.resolve();

  function shutdown(final: HostStatus): Promise<void> {
    if (closing) return closing;
    const sends: Promise<unknown>[] = [];
    if (final.status === 'closed') {
      for (const peer of byGid.values()) {
        if (peer.record || peer.pending) sends.push(sendDown(peer, { t: 'closed' }, { whenOffline: 'drop' }));
      }
      sends.push(
        publish(topics.host, '', { qos: 1, retain: true, whenOffline: 'drop' }),
        publish(topics.state, '', { qos: 1, retain: true, whenOffline: 'drop' }),
      );
    }
    for (const r of records.values()) free(r);
    closed = true;
    statsFlush?.unsubscribe();
    gate.dispose();
    for (const s of subscriptions) s.unsubscribe();
    if (o.setWill && final.status === 'closed') out.setWill(undefined);
    stats.set(Object.freeze({ ...counters }));
    for (const live of slots.values()) {
      if (live.live.value !== NEUTRAL) live.set(NEUTRAL);
      live.complete();
    }
    status.set(final);
    status.complete();
    players.complete();
    pending.complete();
    stats.complete();
    closing = farewells(sends, scheduler);
    return closing;
  }
  function fail(error: CoplayError) {
    if (!closed) void shutdown({ status: 'failed', error });
  }

  return {
    room: o.room,
    invite,
    status: status.live,
    players: players.live,
    pending: pending.live,
    input(slot) {
      return checkSlot(slot).live;
    },
    admit(id) {
      const peer = peerOf(id);
      const waiting = peer?.pending;
      if (closed || !peer || !waiting) return false;
      peer.pending = undefined;
      emitPending();
      seat(peer, waiting.name, waiting.session, waiting.nextSeq);
      return true;
    },
    reject(id, reason = 'rejected') {
      const peer = peerOf(id);
      if (closed || !peer?.pending) return false;
      peer.pending = undefined;
      emitPending();
      void sendDown(peer, { t: 'reject', reason: String(reason) });
      return true;
    },
    kick(id, reason) {
      const peer = peerOf(id);
      if (closed || !peer || (!peer.record && !peer.pending)) return false;
      peer.banned = true;
      if (peer.record) free(peer.record);
      if (peer.pending) {
        peer.pending = undefined;
        emitPending();
      }
      void sendDown(peer, reason === undefined ? { t: 'kick' } : { t: 'kick', reason: String(reason) });
      return true;
    },
    setPermissions(id, permissions) {
      checkPermissions(permissions, 'setPermissions');
      const record = peerOf(id)?.record;
      if (closed || !record) return false;
      record.permissions = Object.freeze({ ...record.permissions, ...permissions });
      record.input?.setPermissions(record.permissions);
      emitPlayers();
      return true;
    },
    broadcast(state) {
      let inner: Uint8Array;
      try {
        inner = encodeBroadcast(state);
      } catch (e) {
        return Promise.reject(e);
      }
      if (closed) return Promise.reject(new CoplayError('ROOM_CLOSED', `room ${o.room} is closed`));
      const opts: PublishOptions = { qos: 0, retain: true, coalesceKey: topics.state };
      if (!secure) return out.publish(topics.state, inner, opts);
      // Signed, numbered (guests keep only newer ones), and signed one after another so the
      // broker's retained copy is the latest.
      const body = concatBytes(u32(++broadcastN), inner);
      const signed = signing.then(async () => {
        const k = await keysReady;
        return concatBytes(await signBody(k!.signPrivate, 's', o.room, body), body);
      });
      signing = signed.catch(() => undefined);
      return signed.then((payload) => {
        if (closed) throw new CoplayError('ROOM_CLOSED', `room ${o.room} is closed`);
        return out.publish(topics.state, payload, opts);
      });
    },
    stats: {
      get value() {
        return currentStats();
      },
      value$: statsValue$,
    },
    close() {
      return shutdown({ status: 'closed' });
    },
  };
}
