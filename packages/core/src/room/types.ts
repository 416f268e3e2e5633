import type { Observable, SchedulerLike } from 'rxjs';
import type { Connection } from '../connection/types';
import type { CoplayError } from '../errors/CoplayError';
import type { ControllerState } from '../input/ControllerState';
import type { FocusSource } from '../store/FocusSource';
import type { Live } from '../store/Live';
import type { RoomInvite } from './invite';
import type { Permissions } from './Permissions';

/** A guest holding (or having held) a player slot. */
export interface PlayerInfo {
  /** Player number: the host is 1, guests 2..maxPlayers. */
  readonly slot: number;
  /**
   * The guest's topic id: its MQTT client id when that fits the broker's topics, else the short
   * link id it negotiated at join (PROTOCOL.md). Pass it to {@link HostRoom.kick} and friends.
   */
  readonly id: string;
  /** The MQTT client id the guest gave in its join (verified by the broker only under an ACL). */
  readonly clientId: string;
  /** Display name from the guest's join (the client id when it gave none). */
  readonly name: string;
  /**
   * `playing`: frames arrive. `interrupted`: no frame for `silenceMs` or the guest's last will
   * arrived; its input reads NEUTRAL and the slot is freed after `releaseMs` unless frames return.
   * `left`: the slot is free (left, kicked or released); the entry stays until a new guest takes
   * the slot, so a UI can show who left.
   */
  readonly status: 'playing' | 'interrupted' | 'left';
  /** Smoothed round-trip time host → guest → host, once measured. */
  readonly rttMs?: number;
  /** Smoothed RTT deviation, once measured. */
  readonly jitterMs?: number;
  /**
   * Host clock (the room's scheduler: `Date.now()` by default) when the newest sample behind `rttMs`
   * came in. Without `outgoing`, the host pings only in gaps of the guest's input (PROTOCOL.md,
   * "Latency"), so while input flows without one the figure ages: show `now − rttAt` with it.
   */
  readonly rttAt?: number;
  /** What the guest may control. */
  readonly permissions: Permissions;
  /** The guest sends more frames than the rate limit allows; the excess is dropped. */
  readonly throttled: boolean;
}

/** A guest waiting for {@link HostRoom.admit} under manual admission. */
export interface PendingGuest {
  /** Topic id, as in {@link PlayerInfo.id}. */
  readonly id: string;
  readonly clientId: string;
  readonly name: string;
  /** Host clock (scheduler ms) when the guest asked. */
  readonly since: number;
}

/** Counters of what the host received; they only grow. */
export interface RoomStats {
  /** Messages on guests' input topics. */
  readonly frames: number;
  /** Frames that changed a slot's state. */
  readonly applied: number;
  /** Valid frames that repeated the state (keyframes). */
  readonly unchanged: number;
  /** Wrong length, version or out-of-range values. */
  readonly malformed: number;
  /** Same sequence number again. */
  readonly duplicate: number;
  /** Older than the last applied frame (wrap-aware). */
  readonly outOfOrder: number;
  /** From a guest's earlier session (before its latest join). */
  readonly staleSession: number;
  /** Over a guest's rate limit (and joins over the room's key-agreement rate). */
  readonly throttled: number;
  /** Input from a client that holds no slot (not admitted, kicked, or released). */
  readonly unknownSender: number;
  /** Control or presence messages that are not valid JSON of the protocol. */
  readonly badControl: number;
  /**
   * Authenticated rooms: frames and control messages whose tag does not match, replays, and
   * joins under a topic id another guest holds. Any room: control messages with an old `n` (a
   * replay, or a broker's QoS 1 re-delivery). Dropped, never applied.
   */
  readonly forged: number;
}

/** What a host room is doing. */
export type HostStatus =
  | { readonly status: 'open' }
  /** The broker refused a subscription or a publish, or the keys could not be made: the room is shut. */
  | { readonly status: 'failed'; readonly error: CoplayError }
  | { readonly status: 'closed' };

/** Options of {@link hostRoom}. */
export interface HostRoomOptions {
  /**
   * Room id: 1 to 64 characters of `0-9 a-z A-Z - _ @`, and short enough for the broker's
   * topics (at most 50 characters on Easemob: see PROTOCOL.md).
   */
  room: string;
  /**
   * Authenticate every frame and control message with keys from the invite (default true).
   * `false` only on a broker whose ACL already pins each client to its own topics.
   */
  secure?: boolean;
  /** `auto` (default) gives every guest a free slot; `manual` lists guests in `pending` until {@link HostRoom.admit}. */
  admission?: 'auto' | 'manual';
  /** Players including the host (slot 1). Default 4, at most 16. */
  maxPlayers?: number;
  /** A guest silent this long reads NEUTRAL and shows `interrupted`. Default 200 ms (two keyframe periods). */
  silenceMs?: number;
  /** An interrupted guest's slot is freed after this long. Default 5000 ms. */
  releaseMs?: number;
  /**
   * Ping period for RTT and jitter (QoS 0). Default 1000 ms. Without `outgoing` a ping waits for a
   * gap of 45 ms in the room's input (it never goes while input flows without one); with `outgoing`
   * it goes on time.
   */
  pingIntervalMs?: number;
  /** Per-guest input rate limit. Default 120 frames/s with a burst of a quarter second's worth. */
  rateLimit?: { maxFramesPerSecond?: number; burst?: number };
  /** Permissions of a newly admitted guest. Default everything ({@link ALL_PERMISSIONS}). */
  permissions?: Permissions;
  /** Set the connection's last will to {@link hostWill} (effective from its next CONNECT). Default true. */
  setWill?: boolean;
  /**
   * A second connection (same broker, its own client id) for everything the host sends: presence,
   * control, pings and broadcasts (and the host's will). The main connection then only receives,
   * so on a broker without TCP_NODELAY (Debian's mosquitto default, hosted brokers) the host's own
   * sends cannot hold guests' input frames behind a delayed ACK (~40 ms). The room does not close it.
   */
  outgoing?: Connection;
  /** Scheduler for timers and the clock. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * The host side of a room. Players are numbered by slot: the host is 1, guests 2..maxPlayers.
 * @typeParam S the type of state {@link broadcast} sends.
 */
export interface HostRoom<S = unknown> {
  readonly room: string;
  /**
   * What guests need to join: the room id and, unless `secure: false`, the host's public key.
   * Resolves once the room's keys exist (a few ms); share it with `formatInvite` in a URL fragment.
   */
  readonly invite: Promise<RoomInvite>;
  /** `open`, then `closed` or `failed` (with the broker's refusal). */
  readonly status: Live<HostStatus>;
  /** Guests by slot (ascending), including `left` entries of freed slots. */
  readonly players: Live<readonly PlayerInfo[]>;
  /** Guests waiting for admission (manual admission). */
  readonly pending: Live<readonly PendingGuest[]>;
  /**
   * The controller of a slot: permission-masked, duplicate, out-of-order and forged frames dropped,
   * NEUTRAL when nobody holds the slot or its guest is silent. `value$` completes on {@link close}.
   * Slot 1 is the host's own controller, which never travels through the room: it always reads NEUTRAL.
   * @throws CoplayError `INVALID_OPTIONS` for a slot outside 1..maxPlayers.
   */
  input(slot: number): Live<ControllerState>;
  /** Admits a pending guest into the lowest free slot (or rejects it with `full`). `false` if not pending. */
  admit(id: string): boolean;
  /** Refuses a pending guest. `false` if not pending. */
  reject(id: string, reason?: string): boolean;
  /**
   * Removes a guest (playing or pending): its slot reads NEUTRAL at once, it sees `kicked`, later
   * frames and joins from it are refused while the room is open. `false` if unknown.
   */
  kick(id: string, reason?: string): boolean;
  /** Changes what a guest may control (merged with its current permissions); applies at once. */
  setPermissions(id: string, permissions: Partial<Permissions>): boolean;
  /**
   * Sends state to every guest, latest wins (retained, coalesced while offline; signed in an
   * authenticated room). A `Uint8Array` goes as binary; anything else as JSON.
   * Rejects with `INVALID_PAYLOAD` when the state cannot be serialised, `ROOM_CLOSED` after close.
   */
  broadcast(state: S): Promise<boolean>;
  /** Counters; `value$` emits at most every 100 ms, `value` is always current. */
  readonly stats: Live<RoomStats>;
  /**
   * Tells guests the room closed, zeroes every slot, clears retained topics, completes `value$`s.
   * Idempotent; settles once those messages are acknowledged, or after 2 s on a link that died
   * under them. Always settles.
   */
  close(): Promise<void>;
}

/** What a guest sees. */
export type GuestStatus =
  | { readonly status: 'joining' }
  | { readonly status: 'waiting' }
  | { readonly status: 'playing'; readonly slot: number }
  | { readonly status: 'rejected'; readonly reason: string }
  | { readonly status: 'kicked'; readonly reason?: string }
  /** The broker refused a subscription or publish, or no host answered within `joinTimeoutMs`. */
  | { readonly status: 'failed'; readonly error: CoplayError }
  | { readonly status: 'closed' };

/**
 * Whether the guest knows it talks to the host of its invite: `verified` once a host presence
 * signed with the invite's key arrived, `pending` before, `unverified` in a room joined without a
 * key (`secure: false` or an invite without `k`), where anyone on the broker could pose as the host.
 */
export type HostTrust = 'pending' | 'verified' | 'unverified';

/** What a guest dropped; counters only grow. */
export interface GuestStats {
  /** Host presence, broadcasts and control messages whose signature or tag did not match, and replays (control messages re-delivered with an old `n` too, in any room). */
  readonly forged: number;
  /** Messages that are not of the protocol. */
  readonly badControl: number;
}

/** Options of {@link joinRoom}. */
export interface GuestRoomOptions {
  /** The host's invite (`host.invite`, or a URL / fragment carrying it). Gives the room and the host's key. */
  invite?: RoomInvite | string;
  /** Room id, for a room opened with `secure: false` (then pass `secure: false` too). */
  room?: string;
  /** `false` joins without authentication (a room opened with `secure: false`). Default: authenticated when the invite has a key. */
  secure?: boolean;
  /** Display name for the host (control characters removed, at most 64 characters). */
  name?: string;
  /** Re-send an unchanged state at least this often. Default 100 ms. */
  keyframeMs?: number;
  /** Re-send the join this often while the host has not answered. Default 1000 ms. */
  joinRetryMs?: number;
  /** Give up (status `failed`, `JOIN_TIMEOUT`) when no host answered a join for this long. Default 30 000 ms. */
  joinTimeoutMs?: number;
  /** While playing, wait for the host again after hearing nothing from it this long (at least 3 pings). Default 5000 ms. */
  hostTimeoutMs?: number;
  /**
   * Set the connection's last will to {@link guestWill} for the guest's topic id (effective from
   * its next CONNECT). Default true.
   */
  setWill?: boolean;
  /**
   * Whether the player is at the controls: while `value` is false the guest sends NEUTRAL, and on
   * `release$` it releases everything at once. Default `browserFocus()` (tab hidden or window
   * blurred, `gamepaddisconnected`; nothing without a DOM); `false` for none.
   */
  focus?: FocusSource | false;
  /**
   * Shorthand for the browser focus source: `false` turns it off, an object gives the targets
   * `browserFocus` listens on. Default true.
   */
  browserEvents?: boolean | { window?: EventTarget; document?: EventTarget & { visibilityState?: string } };
  /** Scheduler for timers and the clock. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** Options of {@link GuestRoom.attach}. */
export interface AttachOptions {
  /** Most frames per second the attachment sends (changes go out when the source emits them, up to this rate). Default 60. */
  hz?: number;
}

/**
 * The guest side of a room.
 * @typeParam S the type of state the host broadcasts.
 */
export interface GuestRoom<S = unknown> {
  readonly room: string;
  readonly status: Live<GuestStatus>;
  /** Smoothed RTT to the host as the host measured it; `undefined` until known. */
  readonly rtt: Live<number | undefined>;
  /** The host's latest broadcast (`Uint8Array` for binary, parsed JSON otherwise). */
  readonly hostState: Live<S | undefined>;
  /** Whether the host is the one of the invite (see {@link HostTrust}). */
  readonly hostTrust: Live<HostTrust>;
  /** What the guest dropped. */
  readonly stats: Live<GuestStats>;
  /**
   * Sets the controller state; sent now when playing (and re-sent as a keyframe), otherwise sent
   * as the first frame once admitted. Finite values are clamped into range.
   * @throws CoplayError `INVALID_PAYLOAD` for a malformed state, `ROOM_CLOSED` after the room ended.
   */
  send(state: ControllerState): void;
  /**
   * Samples an input source's `state$` at `hz` (default 60) and sends on change, with tap latching
   * (see `sampleInput`). Replaces an earlier attachment. Returns a function that detaches and
   * sends NEUTRAL.
   */
  attach(state$: Observable<ControllerState>, options?: AttachOptions): () => void;
  /**
   * Leaves: sends NEUTRAL, tells the host, clears presence; status becomes `closed`. Idempotent;
   * settles once those messages are acknowledged, or after 2 s on a link that died under them.
   */
  close(): Promise<void>;
}
