import type { ControllerState } from './ControllerState';

/** Version byte of the input frame: the room protocol version (see PROTOCOL.md). */
export const FRAME_VERSION = 2;

/** A frame without its tag is exactly this long (the whole frame in a room opened with `secure: false`). */
export const FRAME_BYTES = 16;

/** Bytes of the authentication tag after the 16 frame bytes in an authenticated room (truncated HMAC-SHA256). */
export const FRAME_TAG_BYTES = 8;

/** A decoded input frame. */
export interface Frame {
  /** Wire format version ({@link FRAME_VERSION}). */
  readonly version: number;
  /**
   * Session byte, 0..255: the guest picks a new one every time it (re)joins, and the host drops
   * frames that carry a session other than the one of the guest's latest join.
   */
  readonly session: number;
  /** Sequence number, 0..65535, compared wrap-aware ({@link compareSeq}). */
  readonly seq: number;
  /** Guest clock in ms, modulo 2^24 (wraps every ~4.6 h); for diagnostics. */
  readonly time: number;
  /** Full controller state (axes/triggers quantised to 1/127 and 1/255). */
  readonly state: ControllerState;
}

/** Why {@link decodeFrame} refused some bytes. */
export type FrameErrorReason = 'length' | 'version' | 'range';

/** Result of {@link decodeFrame}: never throws, so a host can count garbage instead of crashing. */
export type DecodeResult =
  | { readonly ok: true; readonly frame: Frame }
  | { readonly ok: false; readonly reason: FrameErrorReason };
