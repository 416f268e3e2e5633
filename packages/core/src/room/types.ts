import type { Observable, SchedulerLike } from 'rxjs';
import type { ControllerState } from '../input/ControllerState';
import type { Permissions } from './Permissions';

/** A guest holding (or having held) a player slot. */
export interface PlayerInfo {
  /** Player number: the host is 1, guests 2..maxPlayers. */
  readonly slot: number;
  /** The guest's MQTT client id. */
  readonly id: string;
  /** Display name from the guest's join (the id when it gave none). */
  readonly name: string;
  /**
   * `playing`: frames arrive. `interrupted`: no frame for `silenceMs` or the guest's last will
   * arrived; its input reads NEUTRAL and the slot is freed after `releaseMs` unless frames return.
   * `left`: the slot is free (left, kicked or released); the entry stays until a new guest takes
   * the slot, so a UI can show who left.
   */
  readonly status: 'playing' | 'interrupted' | 'left';
  /** Smoothed round-trip time host → guest → host (TCP-style SRTT), once measured. */
  readonly rttMs?: number;
  /** Smoothed RTT deviation (TCP-style RTTVAR), once measured. */
  readonly jitterMs?: number;
  /** What the guest may control. */
  readonly permissions: Permissions;
  /** The guest sends more frames than the rate limit allows; the excess is dropped. */
  readonly throttled: boolean;
}

/** A guest waiting for {@link HostRoom.admit} under manual admission. */
export interface PendingGuest {
  readonly id: string;
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
  /** Over a guest's rate limit. */
  readonly throttled: number;
  /** Input from a client that holds no slot (not admitted, kicked, or released). */
  readonly unknownSender: number;
  /** Control or presence messages that are not valid JSON of the protocol. */
  readonly badControl: number;
}

/** Options of {@link hostRoom}. */
export interface HostRoomOptions {
  /** Room id: no `/ + # .`, whitespace or control characters, at most 64 characters. */
  room: string;
  /** `auto` (default) gives every guest a free slot; `manual` lists guests in `pending$` until {@link HostRoom.admit}. */
  admission?: 'auto' | 'manual';
  /** Players including the host (slot 1). Default 4, at most 16. */
  maxPlayers?: number;
  /** A guest silent this long reads NEUTRAL and shows `interrupted`. Default 250 ms. */
  silenceMs?: number;
  /** An interrupted guest's slot is freed after this long. Default 5000 ms. */
  releaseMs?: number;
  /** Ping period for RTT and jitter. Default 1000 ms. */
  pingIntervalMs?: number;
  /** Per-guest input rate limit. Default 120 frames/s with a burst of a quarter second's worth. */
  rateLimit?: { maxFramesPerSecond?: number; burst?: number };
  /** Permissions of a newly admitted guest. Default everything ({@link ALL_PERMISSIONS}). */
  permissions?: Permissions;
  /** Scheduler for timers and the clock. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * The host side of a room. Players are numbered by slot: the host is 1, guests 2..maxPlayers.
 * @typeParam S the type of state {@link broadcast} sends.
 */
export interface HostRoom<S = unknown> {
  readonly room: string;
  /** Guests by slot (ascending), including `left` entries of freed slots. */
  readonly players$: Observable<readonly PlayerInfo[]>;
  readonly players: readonly PlayerInfo[];
  /** Guests waiting for admission (manual admission). */
  readonly pending$: Observable<readonly PendingGuest[]>;
  readonly pending: readonly PendingGuest[];
  /**
   * The controller of a guest slot: permission-masked, duplicate and out-of-order frames
   * dropped, NEUTRAL when nobody holds the slot or its guest is silent. Emits on change and
   * replays the current state; completes on {@link close}.
   * @throws CoplayError `INVALID_OPTIONS` for a slot outside 2..maxPlayers.
   */
  input$(slot: number): Observable<ControllerState>;
  /** Synchronous current state of a slot (for a game loop). Same rules as {@link input$}. */
  input(slot: number): ControllerState;
  /** Admits a pending guest into the lowest free slot (or rejects it with `full`). `false` if not pending. */
  admit(id: string): boolean;
  /** Refuses a pending guest. `false` if not pending. */
  reject(id: string, reason?: string): boolean;
  /**
   * Removes a guest (playing or pending): its slot reads NEUTRAL at once, it sees `kicked`, later
   * frames and joins from its client id are refused while the room is open. `false` if unknown.
   */
  kick(id: string, reason?: string): boolean;
  /** Changes what a guest may control (merged with its current permissions); applies at once. */
  setPermissions(id: string, permissions: Partial<Permissions>): boolean;
  /**
   * Sends state to every guest, latest wins (retained, coalesced while offline). A `Uint8Array`
   * goes as binary; anything else as JSON.
   * @throws CoplayError `INVALID_PAYLOAD` when the state cannot be serialised.
   */
  broadcast(state: S): Promise<boolean>;
  /** Counters; {@link stats$} emits at most every 100 ms, `stats` is always current. */
  readonly stats$: Observable<RoomStats>;
  readonly stats: RoomStats;
  /** Tells guests the room closed, zeroes every slot, clears retained topics, completes observables. Idempotent. */
  close(): Promise<void>;
}

/** What a guest sees. */
export type GuestStatus =
  | { readonly status: 'joining' }
  | { readonly status: 'waiting' }
  | { readonly status: 'playing'; readonly slot: number }
  | { readonly status: 'rejected'; readonly reason: string }
  | { readonly status: 'kicked'; readonly reason?: string }
  | { readonly status: 'closed' };

/** Options of {@link joinRoom}. */
export interface GuestRoomOptions {
  /** Room id, as the host opened it. */
  room: string;
  /** Display name for the host (control characters removed, at most 64 characters). */
  name?: string;
  /** Re-send an unchanged state at least this often. Default 100 ms. */
  keyframeMs?: number;
  /** Re-send the join this often while the host has not answered. Default 1000 ms. */
  joinRetryMs?: number;
  /**
   * Set the connection's last will to {@link guestWill} (effective from its next CONNECT).
   * Default true. Creating the connection with that will is better still.
   */
  setWill?: boolean;
  /**
   * Send NEUTRAL while the tab is hidden or the window blurred, and on `gamepaddisconnected`.
   * Default true (does nothing without a DOM). An object gives the targets to listen on.
   */
  browserEvents?: boolean | { window?: EventTarget; document?: EventTarget & { visibilityState?: string } };
  /** Scheduler for timers and the clock. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** Options of {@link GuestRoom.attach}. */
export interface AttachOptions {
  /** Samples per second. Default 60. */
  hz?: number;
}

/**
 * The guest side of a room.
 * @typeParam S the type of state the host broadcasts.
 */
export interface GuestRoom<S = unknown> {
  readonly room: string;
  readonly status$: Observable<GuestStatus>;
  readonly status: GuestStatus;
  /** Smoothed RTT to the host as the host measured it; `undefined` until known. */
  readonly rtt$: Observable<number | undefined>;
  readonly rtt: number | undefined;
  /** The host's latest broadcast (`Uint8Array` for binary, parsed JSON otherwise). */
  readonly hostState$: Observable<S | undefined>;
  readonly hostState: S | undefined;
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
  /** Sends NEUTRAL, tells the host, clears presence; status becomes `closed`. Idempotent. */
  leave(): Promise<void>;
}
