import { asyncScheduler, type Observable, type SchedulerAction, type Subscription } from 'rxjs';
import type { Connection, PublishOptions } from '../connection/types';
import { CoplayError } from '../errors/CoplayError';
import { NEUTRAL, normalizeState, type ControllerState } from '../input/ControllerState';
import { writeFrame } from '../input/encodeFrame';
import { FRAME_BYTES, FRAME_TAG_BYTES } from '../input/frameFormat';
import { sampleInput } from '../input/sampleInput';
import { browserFocus } from '../store/browserFocus';
import { createLive } from '../store/createLive';
import type { FocusSource } from '../store/FocusSource';
import { cleanName, jsonBytes, parseDown, parseHostPresence, parseJsonObject, type DownMessage } from './controlMessages';
import { guestWill } from './guestWill';
import { parseInvite, type RoomInvite } from './invite';
import { LinkMacs, seal, unseal } from './LinkMacs';
import { refusalOf } from './refusalOf';
import {
  createGuestKeys,
  deriveLinkKeys,
  fromBase64Url,
  importVerifyKey,
  PUBLIC_KEY_BYTES,
  SIGNATURE_BYTES,
  toBase64Url,
  verifyBody,
  type GuestKeys,
} from './roomCrypto';
import { checkRoomFits, clientTopicId, randomLinkId, ROOM_PROTOCOL_VERSION, roomTopics, topicLimitsOf } from './roomTopics';
import type { GuestRoom, GuestRoomOptions, GuestStats, GuestStatus, HostTrust } from './types';
import { validateId } from './validateId';
import { farewells } from './farewells';
import { roomPublisher } from './roomPublisher';
import { positiveNumber } from '../util/positiveNumber';

const HELLO = JSON.stringify({ t: 'hello', v: ROOM_PROTOCOL_VERSION });

/**
 * A pause this long in the guest's own frames is a gap in which the host may ping (it waits for 45 ms
 * without input on its input link, looking every 15 ms). While the guest's input leaves no such gap,
 * a silent host is a host waiting for one, not a dead one (PROTOCOL.md, "Latency").
 */
const HOST_PING_OPENING_MS = 80;
/** Openings the host let pass without a word before a silent host counts as gone. */
const MISSED_OPENINGS = 3;

/** Unanswered joins (with a verified host) before a guest gives up its client id as topic id for a link id. */
const JOINS_BEFORE_LINK_ID = 3;

/** Binary broadcasts start with 0x00 (no JSON text does); the rest is JSON. */
function decodeBroadcast(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  if (bytes.length === 0) return { ok: true, value: undefined };
  if (bytes[0] === 0) return { ok: true, value: bytes.slice(1) };
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
  } catch {
    return { ok: false };
  }
}

/** The focus source of a guest: `focus` if given, else the browser's (none with `false`). */
function focusOf(options: GuestRoomOptions): FocusSource | undefined {
  if (options.focus === false || options.browserEvents === false) return undefined;
  if (options.focus) return options.focus;
  return typeof options.browserEvents === 'object' ? browserFocus(options.browserEvents) : browserFocus();
}

function resolveInvite(options: GuestRoomOptions): { room: string; key: Uint8Array | undefined } {
  let invite: RoomInvite | undefined;
  if (options.invite !== undefined) {
    invite = typeof options.invite === 'string' ? parseInvite(options.invite) : options.invite;
    if (!invite || typeof invite !== 'object') throw new CoplayError('INVALID_INVITE', 'invite must be a RoomInvite or its URL');
    validateId(invite.room, 'room');
  }
  if (invite && options.room !== undefined && options.room !== invite.room) {
    throw new CoplayError('INVALID_OPTIONS', `room ${JSON.stringify(options.room)} differs from the invite's ${JSON.stringify(invite.room)}`);
  }
  const room = invite?.room ?? validateId(options.room, 'room');
  if (options.secure !== undefined && typeof options.secure !== 'boolean') throw new CoplayError('INVALID_OPTIONS', 'secure must be a boolean');
  if (options.secure === false) return { room, key: undefined };
  if (invite?.key === undefined) {
    if (options.secure === true || !invite) {
      throw new CoplayError(
        'INVALID_OPTIONS',
        'an authenticated room needs the host’s invite (`invite: await host.invite`); pass `secure: false` for a room opened with `secure: false`',
      );
    }
    return { room, key: undefined }; // an invite without a key: the host opened the room with `secure: false`
  }
  const key = fromBase64Url(invite.key);
  if (key?.length !== PUBLIC_KEY_BYTES) throw new CoplayError('INVALID_INVITE', 'the invite’s key is not a P-256 public key');
  return { room, key };
}

/**
 * Joins a co-play room as a guest: asks the host for a player slot, then sends this player's
 * controller state as compact binary frames (on change, plus a keyframe every `keyframeMs`).
 *
 * Pass the host's invite (`host.invite`, or the URL carrying it): the guest then only believes a
 * host that signs with the invite's key, and tags every message with a key it shares with it.
 * The guest's topics follow the link's real client id (after credentials) on every connect.
 * @throws CoplayError `INVALID_INVITE` / `INVALID_ID` for a bad invite or room id, `TOPIC_TOO_LONG`
 * when the room id is too long for the broker, `INVALID_OPTIONS` for bad options.
 * @example
 * const guest = joinRoom(conn, { invite: location.href, name: 'Ada' });
 * const stop = guest.attach(keyboardInput().state$);
 */
export function joinRoom<S = unknown>(connection: Connection, options: GuestRoomOptions): GuestRoom<S> {
  if (!options || typeof options !== 'object') throw new CoplayError('INVALID_OPTIONS', 'joinRoom needs an options object');
  const { room, key: hostSignKey } = resolveInvite(options);
  const secure = hostSignKey !== undefined;
  const limits = topicLimitsOf(connection);
  checkRoomFits(room, limits);
  if (options.name !== undefined && typeof options.name !== 'string') {
    throw new CoplayError('INVALID_OPTIONS', 'name must be a string');
  }
  const name = cleanName(options.name);
  const keyframeMs = positiveNumber('keyframeMs', options.keyframeMs ?? 100);
  // An idle guest's keyframes are keyframeMs apart: with a shorter period those are its openings.
  const openingMs = Math.min(HOST_PING_OPENING_MS, keyframeMs);
  const joinRetryMs = positiveNumber('joinRetryMs', options.joinRetryMs ?? 1000);
  const joinTimeoutMs = positiveNumber('joinTimeoutMs', options.joinTimeoutMs ?? 30_000);
  const hostTimeoutMs = positiveNumber('hostTimeoutMs', options.hostTimeoutMs ?? 5000);
  const scheduler = options.scheduler ?? asyncScheduler;
  const topics = roomTopics(room);
  const setWill = options.setWill !== false;

  const status = createLive<GuestStatus>({ status: 'joining' });
  const rtt = createLive<number | undefined>(undefined);
  const hostState = createLive<S | undefined>(undefined);
  const hostTrust = createLive<HostTrust>(secure ? 'pending' : 'unverified');
  const stats = createLive<GuestStats>(Object.freeze({ forged: 0, badControl: 0 }));
  const subscriptions: Subscription[] = [];
  const bump = (k: keyof GuestStats) => stats.set(Object.freeze({ ...stats.live.value, [k]: stats.live.value[k] + 1 }));

  // Identity: a random token (and key pair) for this guest object, a topic id per link.
  const token = randomLinkId() + randomLinkId();
  const linkId = randomLinkId();
  let useLinkId = false;
  const topicId = () => (useLinkId ? linkId : (clientTopicId(room, connection.clientId, limits) ?? linkId));
  let gid = topicId();

  // A new session byte on every (re)connect: the host drops frames still in flight from the old link.
  let session = crypto.getRandomValues(new Uint8Array(1))[0]!;
  /** Next frame's 32-bit sequence number; frames carry its low 16 bits. */
  let seq = 0;
  /** Counter of guest → host control messages (replay protection). */
  let upN = 0;
  let lastDownN = -1;
  /** Pings come at QoS 0, the rest at QoS 1: see the `n` check in listenDown. */
  let lastPingN = -1;
  let current: ControllerState = NEUTRAL;
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let connected = false;
  const focus = focusOf(options);
  /** The player is at the controls (tab visible, window focused): otherwise frames carry NEUTRAL. */
  let focused = focus?.value ?? true;
  let keyframeTimer: Subscription | undefined;
  let attachment: Subscription | undefined;
  let ended = false;
  let joiningSince = scheduler.now();
  let unanswered = 0;
  let lastHeard = scheduler.now();
  /** Gaps in our frames (HOST_PING_OPENING_MS or longer) since the host was last heard and a ping was due. */
  let openings = 0;
  let hostPingMs = 1000;

  // --- keys (authenticated rooms)
  let guestKeys: GuestKeys | undefined;
  let verifyKey: CryptoKey | undefined;
  let macs: LinkMacs | undefined;
  let hostDk: string | undefined;
  let presenceN = -1;
  /** `inst` of the last host presence (unauthenticated rooms; authenticated ones tell a new host by its key). */
  let hostInstance: string | undefined;
  /** A (verified) host presence arrived; until then the guest asks for it with `hello`. */
  let hostSeen = false;
  let connectedAt = scheduler.now();
  const ready: Promise<void> = secure
    ? Promise.all([createGuestKeys(), importVerifyKey(hostSignKey)]).then(([g, v]) => {
        guestKeys = g;
        verifyKey = v;
      })
    : Promise.resolve();
  ready.catch((cause: unknown) => fail(new CoplayError('INVALID_INVITE', 'the invite’s key could not be used (WebCrypto)', { cause })));

  const isPlaying = () => status.live.value.status === 'playing';
  const setStatus = (s: GuestStatus) => {
    if (ended) return;
    const before = status.live.value;
    if (before.status === s.status && JSON.stringify(before) === JSON.stringify(s)) return;
    if (s.status === 'joining') {
      joiningSince = scheduler.now();
      unanswered = 0;
    }
    status.set(s);
    if (s.status === 'playing') {
      lastHeard = scheduler.now();
      openings = 0;
      armKeyframe(keyframeMs);
    } else {
      keyframeTimer?.unsubscribe();
      keyframeTimer = undefined;
    }
  };

  const publish = roomPublisher(connection, (refusal) => fail(refusal));

  const canSpeak = () => connected && (!secure || macs !== undefined);
  const sendUp = (body: Record<string, unknown>, opts: PublishOptions = {}) => {
    if (!canSpeak()) return Promise.resolve(false);
    const bytes = jsonBytes({ ...body, n: upN++ });
    return publish(topics.up(gid), macs ? seal(macs.up, bytes) : bytes, { qos: 1, ...opts });
  };
  const sendJoin = () => {
    if (!canSpeak()) return Promise.resolve(false);
    unanswered++;
    return sendUp(
      {
        t: 'join',
        v: ROOM_PROTOCOL_VERSION,
        id: connection.clientId,
        session,
        q: seq >>> 0,
        tok: token,
        ...(guestKeys ? { pk: toBase64Url(guestKeys.dhPublic) } : {}),
        ...(name !== undefined ? { name } : {}),
      },
      { whenOffline: 'drop' },
    );
  };
  /** The topic id this guest object last published its presence under (none yet: nothing to clear on a move). */
  let presenceAt: string | undefined;
  const publishPresence = () => {
    if (!canSpeak()) return Promise.resolve(false);
    presenceAt = gid;
    const bytes = jsonBytes({ v: ROOM_PROTOCOL_VERSION, n: upN++, id: connection.clientId, session, ...(name !== undefined ? { name } : {}) });
    return publish(topics.presence(gid), macs ? seal(macs.presence, bytes) : bytes, { qos: 1, retain: true, whenOffline: 'drop' });
  };
  const announce = () => {
    if (ended || !canSpeak()) return;
    // The join first: it is what the host answers, and a broker stores a retained message before it forwards the next one.
    void sendJoin();
    void publishPresence();
  };

  /** Sends one frame with the full state (NEUTRAL while the player is not at the controls). */
  const transmit = (state: ControllerState) => {
    const ext = seq >>> 0;
    // Frame and tag in one buffer (no copies): it is handed to the connection, so a new one each time.
    const payload = writeFrame(new Uint8Array(macs ? FRAME_BYTES + FRAME_TAG_BYTES : FRAME_BYTES), {
      session,
      seq: ext & 0xffff,
      time: scheduler.now(),
      state: focused ? state : NEUTRAL,
    });
    macs?.frame.tagFrameInto(payload, ext, FRAME_BYTES);
    seq = ext + 1;
    const now = scheduler.now();
    if (now - lastSentAt >= openingMs && now - lastHeard >= hostPingMs * 1.1) openings++;
    lastSentAt = now;
    // Input is only worth its moment: QoS 0 and never queued offline (a keyframe follows the reconnect).
    return publish(topics.input(gid), payload, { qos: 0, whenOffline: 'drop' });
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

  const clearPresence = () => connection.publish(topics.presence(gid), '', { qos: 1, retain: true, whenOffline: 'drop' }).catch(() => false);

  function end(final: GuestStatus) {
    if (ended) return;
    setStatus(final);
    ended = true;
    keyframeTimer?.unsubscribe();
    attachment?.unsubscribe();
    attachment = undefined;
    downSub?.unsubscribe();
    for (const s of subscriptions) s.unsubscribe();
    focusSub?.unsubscribe();
    if (setWill) connection.setWill(undefined);
    status.complete();
    rtt.complete();
    hostState.complete();
    hostTrust.complete();
    stats.complete();
  }
  function fail(error: CoplayError) {
    if (ended) return;
    void clearPresence();
    end({ status: 'failed', error });
  }

  // --- control from the host
  const onDown = (message: DownMessage) => {
    lastHeard = scheduler.now();
    openings = 0;
    switch (message.t) {
      case 'waiting':
        if (message.session === session) {
          unanswered = 0;
          setStatus({ status: 'waiting' });
        }
        break;
      case 'slot':
        if (message.session !== session) break; // an answer to an earlier session's join
        unanswered = 0;
        if (!isPlaying()) {
          // Keyframe right away (the host knows nothing of us yet), and before the status change a page renders on.
          void transmit(current);
          setStatus({ status: 'playing', slot: message.slot });
        } else if ((status.live.value as { slot: number }).slot !== message.slot) {
          setStatus({ status: 'playing', slot: message.slot });
        }
        break;
      case 'reject':
        void clearPresence();
        end({ status: 'rejected', reason: message.reason });
        break;
      case 'kick':
        void clearPresence();
        end(message.reason === undefined ? { status: 'kicked' } : { status: 'kicked', reason: message.reason });
        break;
      case 'closed':
        void clearPresence();
        end({ status: 'closed' });
        break;
      case 'rejoin':
        // The host freed our seat (it could not hear us for releaseMs) and now hears our frames again.
        if (message.session === session && isPlaying()) {
          setStatus({ status: 'joining' });
          announce();
        }
        break;
      case 'ping':
        // QoS 0 both ways: a lost ping is a missing sample, and QoS 1 acks delayed frames (PROTOCOL.md, "Latency").
        void sendUp({ t: 'pong', ts: message.ts }, { qos: 0, whenOffline: 'drop' });
        if (message.rtt !== undefined && message.rtt !== rtt.live.value) rtt.set(message.rtt);
        break;
    }
  };
  let downSub: Subscription | undefined;
  const listenDown = () => {
    downSub?.unsubscribe();
    const filter = topics.down(gid);
    downSub = connection.topic(filter, { qos: 1 }).subscribe({
      next: (m) => {
        if (ended) return;
        let body: Uint8Array | undefined = m.payload;
        if (secure) {
          body = macs ? unseal(macs.down, m.payload) : undefined;
          if (!body) {
            bump(parseJsonObject(m.payload) || m.payload.length > 16 ? 'forged' : 'badControl');
            return;
          }
        }
        const message = parseDown(body);
        if (!message) {
          bump('badControl');
          return;
        }
        // Both modes: a replay, or a broker's QoS 1 re-delivery (an old `waiting` must not unseat us).
        // Pings (QoS 0) and the rest (QoS 1) are checked apart: a broker may deliver a ping ahead of a
        // `slot` the host sent just before it, and that `slot` is no replay (both counts come from one `n`).
        const ping = message.t === 'ping';
        if (message.n <= (ping ? lastPingN : lastDownN)) {
          bump('forged');
          return;
        }
        if (ping) lastPingN = message.n;
        else lastDownN = message.n;
        onDown(message);
      },
      error: (e: unknown) => fail(refusalOf(e, filter) ?? new CoplayError('SUBSCRIBE_FAILED', `subscription to ${filter} failed`, { cause: e })),
    });
  };
  listenDown();

  /** The topic id changed (credentials gave the link another client id, or we moved to a link id). */
  const moveTo = (next: string) => {
    if (next === gid) return;
    const old = gid;
    // Only a presence of ours is cleared: on the first link (credentials gave another client id) there
    // is none, and that publish would sit ahead of the link's SUBSCRIBE at the broker.
    if (presenceAt === old) void connection.publish(topics.presence(old), '', { qos: 1, retain: true, whenOffline: 'drop' }).catch(() => false);
    gid = next;
    if (macs) macs = new LinkMacs(macs.keys, room, gid);
    listenDown();
    if (setWill && connected) connection.setWill(guestWill(room, gid));
  };

  const listen = (filter: string, qos: 0 | 1, next: (payload: Uint8Array) => void) =>
    subscriptions.push(
      connection.topic(filter, { qos }).subscribe({
        next: (m) => {
          if (!ended) next(m.payload);
        },
        error: (e: unknown) => fail(refusalOf(e, filter) ?? new CoplayError('SUBSCRIBE_FAILED', `subscription to ${filter} failed`, { cause: e })),
      }),
    );

  // --- the host's presence: (re)join whenever it appears
  const onHostPresence = async (payload: Uint8Array) => {
    if (payload.length === 0) {
      // Host gone (its will or its close). Unsigned, so only believed without authentication;
      // an authenticated guest notices a dead host by its silence (hostTimeoutMs).
      if (!secure && status.live.value.status !== 'joining') setStatus({ status: 'joining' });
      return;
    }
    if (!secure) {
      const presence = parseHostPresence(payload);
      if (!presence) {
        bump('badControl');
        return;
      }
      hostPingMs = presence.pingMs;
      if (presence.inst !== hostInstance) {
        // A new host object (a reloaded host) counts its control messages from 0 again.
        hostInstance = presence.inst;
        lastDownN = -1;
        lastPingN = -1;
      }
      hostSeen = true;
      if (connected) void sendJoin();
      return;
    }
    await ready;
    if (ended || payload.length <= SIGNATURE_BYTES) {
      if (!ended) bump('forged');
      return;
    }
    const body = payload.subarray(SIGNATURE_BYTES);
    const claimed = parseHostPresence(body);
    // The key agreement runs alongside the signature check instead of after it (each WebCrypto call
    // resolves in a task of its own, which on a busy page waits behind drawing). Its keys are used
    // only once the signature over this very `dk` is good; a forged one costs one ECDH, never trust.
    const dk = claimed?.dk !== undefined && claimed.dk !== hostDk && claimed.n > presenceN ? fromBase64Url(claimed.dk) : undefined;
    const agreeing =
      dk?.length === PUBLIC_KEY_BYTES ? deriveLinkKeys(guestKeys!.dhPrivate, dk, room, dk, guestKeys!.dhPublic).catch(() => undefined) : undefined;
    const ok = await verifyBody(verifyKey!, 'h', room, payload.subarray(0, SIGNATURE_BYTES), body);
    const presence = ok ? claimed : undefined;
    if (ended) return;
    if (!presence?.dk) {
      bump('forged');
      return;
    }
    if (presence.n <= presenceN) return; // an older copy of the same host's presence
    presenceN = presence.n;
    hostPingMs = presence.pingMs;
    if (presence.dk !== hostDk) {
      if (!agreeing) return; // not a P-256 public key's length
      const keys = await agreeing;
      if (!keys) bump('forged'); // a signed presence with a key that is no P-256 point: never from our host
      if (ended || !keys) return;
      hostDk = presence.dk;
      macs = new LinkMacs(keys, room, gid);
      lastDownN = -1;
      lastPingN = -1;
    }
    hostSeen = true;
    // Join first, then tell the page: a render it runs on the news (a microtask, as in Vue) would
    // otherwise run ahead of the join's write, which MQTT.js also leaves to a microtask.
    if (status.live.value.status !== 'playing') announce();
    hostTrust.set('verified');
  };
  // Signature checks are async: one at a time, in arrival order. They do not throw on bad input;
  // anything else that fails there (WebCrypto itself) ends the room rather than going unseen.
  const checkFailed = (cause: unknown) => fail(new CoplayError('DECODE_FAILED', 'a host message could not be checked', { cause }));
  let hostQueue: Promise<void> = Promise.resolve();
  listen(topics.host, 1, (payload) => {
    hostQueue = hostQueue.then(() => onHostPresence(payload)).catch(checkFailed);
  });

  // --- the host's broadcast state
  let broadcastN = -1;
  const onState = async (payload: Uint8Array) => {
    if (!secure) {
      const decoded = decodeBroadcast(payload);
      if (decoded.ok) hostState.set(decoded.value as S | undefined);
      else bump('badControl');
      return;
    }
    if (payload.length === 0) return; // the host's close clears it; unsigned, so nothing to believe
    await ready;
    if (ended) return;
    if (payload.length < SIGNATURE_BYTES + 4) {
      bump('forged');
      return;
    }
    const body = payload.subarray(SIGNATURE_BYTES);
    const ok = await verifyBody(verifyKey!, 's', room, payload.subarray(0, SIGNATURE_BYTES), body);
    if (ended) return;
    if (!ok) {
      bump('forged');
      return;
    }
    const n = new DataView(body.buffer, body.byteOffset, 4).getUint32(0);
    if (n <= broadcastN) return; // older than what we show
    const decoded = decodeBroadcast(body.subarray(4));
    if (!decoded.ok) {
      bump('badControl');
      return;
    }
    broadcastN = n;
    hostState.set(decoded.value as S | undefined);
  };
  let stateQueue: Promise<void> = Promise.resolve();
  listen(topics.state, 0, (payload) => {
    stateQueue = stateQueue.then(() => onState(payload)).catch(checkFailed);
  });

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
        // The link's client id is known now (credentials may have replaced it): topics follow it.
        moveTo(topicId());
        connectedAt = scheduler.now();
        if (setWill) connection.setWill(guestWill(room, gid));
        setStatus({ status: 'joining' });
        joiningSince = scheduler.now();
        // After the connection re-subscribed on this CONNACK, so the host's answer finds us listening.
        queueMicrotask(announce);
      } else if (!up && connected) {
        connected = false;
        setStatus({ status: 'joining' });
      }
    }),
  );

  // Joins can be lost (host not subscribed yet, host restarting): ask again until answered; give
  // up after joinTimeoutMs; while playing, a host silent for several pings is waited for again.
  subscriptions.push(
    scheduler.schedule(function (this: SchedulerAction<undefined>) {
      if (ended) return;
      const now = scheduler.now();
      const s = status.live.value.status;
      if (connected && s === 'joining') {
        if (now - joiningSince >= joinTimeoutMs) {
          fail(new CoplayError('JOIN_TIMEOUT', `no host answered in room ${room} within ${joinTimeoutMs} ms`, { details: { room, gid } }));
          return;
        }
        if (secure && !useLinkId && macs && unanswered >= JOINS_BEFORE_LINK_ID && gid !== linkId) {
          // Our client id is held by another key (a page we replaced, or someone posing as us): negotiate a link id.
          useLinkId = true;
          moveTo(linkId);
          announce();
        } else if (canSpeak()) {
          if (secure) announce();
          else void sendJoin();
        }
        if (!hostSeen && now - connectedAt >= joinRetryMs) {
          // No host presence yet: ask the host to publish it again (PROTOCOL.md, "Joining").
          void publish(topics.up(gid), HELLO, { qos: 0, whenOffline: 'drop' });
        }
      } else if (
        connected &&
        s === 'playing' &&
        now - lastHeard >= Math.max(hostTimeoutMs, 3 * hostPingMs) &&
        openings + (now - lastSentAt >= openingMs ? 1 : 0) >= MISSED_OPENINGS
      ) {
        setStatus({ status: 'joining' });
        announce();
      }
      this.schedule(undefined, joinRetryMs);
    }, joinRetryMs),
  );

  // --- focus: no input from a hidden or unfocused tab, and a vanished pad releases everything
  let focusSub: Subscription | undefined;
  if (focus) {
    focusSub = focus.value$.subscribe((now) => {
      if (now === focused) return;
      focused = now;
      if (isPlaying()) void transmit(focused ? current : NEUTRAL);
    });
    focusSub.add(
      focus.release$.subscribe(() => {
        if (isPlaying()) void transmit(NEUTRAL);
      }),
    );
  }

  let leaving: Promise<void> | undefined;
  const closedError = () => new CoplayError('ROOM_CLOSED', `guest has left room ${room} (${status.live.value.status})`);

  return {
    room,
    status: status.live,
    rtt: rtt.live,
    hostState: hostState.live,
    hostTrust: hostTrust.live,
    stats: stats.live,
    send(state) {
      if (ended) throw closedError();
      setCurrent(normalizeState(state));
    },
    attach(state$: Observable<ControllerState>, attachOptions = {}) {
      if (ended) throw closedError();
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
    close() {
      if (leaving) return leaving;
      if (ended) return (leaving = Promise.resolve());
      const sends: Promise<boolean>[] = [];
      if (isPlaying()) sends.push(transmit(NEUTRAL));
      current = NEUTRAL;
      sends.push(sendUp({ t: 'leave' }, { whenOffline: 'drop' }), clearPresence());
      end({ status: 'closed' });
      leaving = farewells(sends, scheduler);
      return leaving;
    },
  };
}
