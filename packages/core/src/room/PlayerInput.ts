import type { SchedulerLike, Subscription } from 'rxjs';
import { NEUTRAL, statesEqual, type ControllerState } from '../input/ControllerState';
import { FRAME_BYTES, FRAME_TAG_BYTES, FRAME_VERSION } from '../input/frameFormat';
import type { Mac } from './roomCrypto';
import { applyPermissions, type Permissions } from './Permissions';
import { TokenBucket } from './TokenBucket';

/** What happened to one received frame. */
export type FrameVerdict =
  /** Accepted; the state changed. */
  | 'applied'
  /** Accepted; same state as before (a keyframe). */
  | 'unchanged'
  /** Wrong length, version or range. */
  | 'malformed'
  /** Same sequence number as the last accepted frame. */
  | 'duplicate'
  /** Older than the last accepted frame (wrap-aware). */
  | 'outOfOrder'
  /** Sent under an earlier session (before the guest's latest join). */
  | 'staleSession'
  /** Over the rate limit. */
  | 'throttled'
  /** Authenticated room: the tag does not match (or the frame has none). Never applied, never advances the sequence. */
  | 'forged';

/** Callbacks from a {@link PlayerInput} to its room. */
export interface PlayerInputEvents {
  /** The (permission-masked) state changed. */
  state(state: ControllerState): void;
  /** `interrupted` after `silenceMs` without frames or on {@link PlayerInput.interrupt}; `playing` when frames return. */
  status(status: 'playing' | 'interrupted'): void;
  /** The throttled flag changed. */
  throttled(flag: boolean): void;
  /** Interrupted for `releaseMs`: the room frees the slot. */
  released(): void;
}

/** Settings of a {@link PlayerInput}. */
export interface PlayerInputOptions {
  scheduler: SchedulerLike;
  silenceMs: number;
  releaseMs: number;
  maxFramesPerSecond: number;
  /** Frames allowed in a burst above the rate. */
  burst: number;
  permissions: Permissions;
  /** Session byte of the guest's join. */
  session: number;
  /** The guest's next sequence number, from its join (32-bit; frames carry its low 16 bits). */
  nextSeq: number;
  /** Authenticated room: the frame MAC of this guest's link (frames then carry an 8-byte tag). */
  mac?: Mac;
}

/** A throttled guest is flagged until it stays under the rate for this long. */
const THROTTLE_HOLD_MS = 1000;

// Dividing then adding 0 turns -0 into 0, so a decoded centre compares equal to NEUTRAL (as decodeFrame).
const axis = (b: number) => b / 127 + 0;

/** Bytes 4..12 of a frame hold the controller state (buttons, axes, triggers). */
const STATE_FROM = 4;
const STATE_TO = 13;

/**
 * The host's input pipeline for one player: rate limit, decode, session and wrap-aware sequence
 * checks, permission masking, silence → neutral and interrupted, interruption → release.
 * It never throws on wire data; every frame gets a {@link FrameVerdict} for the room's stats.
 */
export class PlayerInput {
  private session: number;
  /** Extended (32-bit, unwrapped) sequence number of the last accepted frame. */
  private lastSeq: number;
  private mac: Mac | undefined;
  private raw: ControllerState = NEUTRAL;
  /**
   * The state bytes of the frame `raw` was decoded from (valid while `rawFromFrame`): most frames at
   * 60 Hz are keyframes repeating them, and those skip decoding (no allocation per frame).
   */
  private readonly rawBytes = new Uint8Array(STATE_TO - STATE_FROM);
  private rawFromFrame = false;
  private current: ControllerState = NEUTRAL;
  private permissions: Permissions;
  private bucket: TokenBucket;
  private lastFrameAt: number;
  private lastRefusedAt = Number.NEGATIVE_INFINITY;
  private isThrottled = false;
  private statusValue: 'playing' | 'interrupted' = 'playing';
  private silenceTimer: Subscription | undefined;
  private releaseTimer: Subscription | undefined;
  private disposed = false;

  constructor(
    private readonly options: PlayerInputOptions,
    private readonly events: PlayerInputEvents,
  ) {
    this.session = options.session;
    this.lastSeq = options.nextSeq - 1;
    this.mac = options.mac;
    this.permissions = options.permissions;
    this.bucket = new TokenBucket(options.maxFramesPerSecond, options.burst);
    // A new player gets silenceMs to send its first keyframe before it counts as interrupted.
    this.lastFrameAt = this.now();
    this.armSilence(options.silenceMs);
  }

  /** Current permission-masked state. */
  get state(): ControllerState {
    return this.current;
  }

  get status(): 'playing' | 'interrupted' {
    return this.statusValue;
  }

  get throttled(): boolean {
    return this.isThrottled;
  }

  /** Handles the payload of one message on the player's input topic, received at `now` (scheduler time). */
  receive(payload: Uint8Array, now = this.now()): FrameVerdict {
    if (this.disposed) return 'staleSession';
    const mac = this.mac;
    let ext: number;
    if (mac) {
      // Authenticated: the tag is checked before anything else, so a forged frame costs the real
      // guest nothing: no token of its rate limit, no sequence number, no state.
      if (payload.length !== FRAME_BYTES + FRAME_TAG_BYTES) return 'forged';
      ext = this.extend((payload[2]! << 8) | payload[3]!);
      if (!mac.checkTaggedFrame(payload, ext, FRAME_BYTES)) return 'forged';
      if (!this.admit(now)) return 'throttled';
    } else {
      if (!this.admit(now)) return 'throttled';
      if (payload.length !== FRAME_BYTES) return 'malformed';
      ext = this.extend((payload[2]! << 8) | payload[3]!);
    }
    // Same version and state bytes as the frame `raw` came from: decoding would give an equal state
    // (those bytes passed its range checks), so only the session byte is left to read.
    let state: ControllerState;
    let session: number;
    const repeat = this.rawFromFrame && payload[0] === FRAME_VERSION && this.sameStateBytes(payload);
    if (repeat) {
      state = this.raw;
      session = payload[1]!;
    } else {
      const decoded = this.decodeState(payload);
      if (!decoded) return 'malformed';
      state = decoded;
      session = payload[1]!;
    }
    if (session !== this.session) return 'staleSession';
    if (ext === this.lastSeq) return 'duplicate';
    if (ext < this.lastSeq) return 'outOfOrder';
    this.lastSeq = ext;
    this.lastFrameAt = now;
    if (this.statusValue === 'interrupted') {
      this.releaseTimer?.unsubscribe();
      this.releaseTimer = undefined;
      this.statusValue = 'playing';
      this.events.status('playing');
      this.armSilence(this.options.silenceMs);
    }
    if (!repeat) {
      const r = this.rawBytes; // a byte loop: a subarray view per frame would be garbage
      for (let i = 0; i < r.length; i++) r[i] = payload[STATE_FROM + i]!;
      this.rawFromFrame = true;
    }
    this.raw = state;
    return this.emit(applyPermissions(state, this.permissions)) ? 'applied' : 'unchanged';
  }

  /**
   * The state of a frame, as `decodeFrame` reads it (`undefined` where it says malformed), with
   * no wrapper objects, and the previous state's axes and triggers arrays when their bytes repeat.
   */
  private decodeState(p: Uint8Array): ControllerState | undefined {
    const high = p[4]!;
    if (p[0] !== FRAME_VERSION || high > 1) return undefined; // only bit 16 may be set in the top byte
    const r = this.rawBytes;
    const known = this.rawFromFrame;
    let axes = this.raw.axes;
    if (!known || p[7] !== r[3] || p[8] !== r[4] || p[9] !== r[5] || p[10] !== r[6]) {
      const a0 = (p[7]! << 24) >> 24;
      const a1 = (p[8]! << 24) >> 24;
      const a2 = (p[9]! << 24) >> 24;
      const a3 = (p[10]! << 24) >> 24;
      if (a0 === -128 || a1 === -128 || a2 === -128 || a3 === -128) return undefined;
      axes = [axis(a0), axis(a1), axis(a2), axis(a3)];
    }
    let triggers = this.raw.triggers;
    if (!known || p[11] !== r[7] || p[12] !== r[8]) triggers = [p[11]! / 255, p[12]! / 255];
    return { buttons: (high << 16) | (p[5]! << 8) | p[6]!, axes, triggers };
  }

  private sameStateBytes(payload: Uint8Array): boolean {
    const r = this.rawBytes;
    for (let i = 0; i < r.length; i++) if (payload[STATE_FROM + i] !== r[i]) return false;
    return true;
  }

  /**
   * The 32-bit sequence number a frame's 16 bits stand for: the one nearest the last accepted
   * (RFC 1982 serial arithmetic, as GGPO and SRTP do), so a frame from before a wrap stays old.
   */
  private extend(low: number): number {
    const d = (low - this.lastSeq) & 0xffff;
    return d < 0x8000 ? this.lastSeq + d : this.lastSeq - (0x10000 - d);
  }

  private admit(now: number): boolean {
    if (!this.bucket.take(now)) {
      this.lastRefusedAt = now;
      this.setThrottled(true);
      return false;
    }
    if (this.isThrottled && now - this.lastRefusedAt >= THROTTLE_HOLD_MS) this.setThrottled(false);
    return true;
  }

  /**
   * The guest joined again (e.g. after a reconnect) under a new session: frames of the old
   * session are dropped from now on and sequence tracking starts over.
   */
  resetSession(session: number, nextSeq: number): void {
    this.session = session;
    this.lastSeq = nextSeq - 1;
  }

  /** The guest's link changed (new topic id): frames are checked with this MAC from now on. */
  setMac(mac: Mac | undefined): void {
    this.mac = mac;
  }

  /** Changes the mask; it applies to the current state at once, so revoking releases held buttons. */
  setPermissions(permissions: Permissions): void {
    this.permissions = permissions;
    if (this.statusValue === 'playing') this.emit(applyPermissions(this.raw, permissions));
  }

  /** The guest is gone for now (e.g. its last will arrived): neutral at once, release after `releaseMs`. */
  interrupt(): void {
    if (this.disposed || this.statusValue === 'interrupted') return;
    this.silenceTimer?.unsubscribe();
    this.silenceTimer = undefined;
    this.statusValue = 'interrupted';
    this.raw = NEUTRAL;
    this.rawFromFrame = false;
    this.emit(NEUTRAL);
    this.events.status('interrupted');
    this.releaseTimer = this.options.scheduler.schedule(() => {
      this.releaseTimer = undefined;
      if (!this.disposed) this.events.released();
    }, this.options.releaseMs);
  }

  /** Stops the timers and zeroes the state (the slot is being freed). */
  dispose(): void {
    if (this.disposed) return;
    this.silenceTimer?.unsubscribe();
    this.releaseTimer?.unsubscribe();
    this.raw = NEUTRAL;
    this.rawFromFrame = false;
    this.emit(NEUTRAL);
    this.disposed = true;
  }

  private now(): number {
    return this.options.scheduler.now();
  }

  private emit(state: ControllerState): boolean {
    if (statesEqual(state, this.current)) return false;
    this.current = state;
    this.events.state(state);
    return true;
  }

  private setThrottled(flag: boolean): void {
    if (flag === this.isThrottled) return;
    this.isThrottled = flag;
    this.events.throttled(flag);
  }

  // One self-re-arming timer instead of a new timer per frame: at 60 Hz per guest that matters.
  private armSilence(delay: number, confirming = false): void {
    this.silenceTimer = this.options.scheduler.schedule(() => {
      this.silenceTimer = undefined;
      if (this.disposed || this.statusValue !== 'playing') return;
      const idle = this.now() - this.lastFrameAt;
      if (idle < this.options.silenceMs) this.armSilence(this.options.silenceMs - idle);
      // Timers run before the event loop reads sockets: after a busy stretch, frames may be waiting
      // unread. Look again once they are read, so a busy host does not interrupt a playing guest.
      else if (!confirming) this.armSilence(0, true);
      else this.interrupt();
    }, delay);
  }
}
