import { ROOM_PROTOCOL_VERSION } from './roomTopics';

/** Guest → host control messages (JSON on `u/{gid}`). `n` counts up per guest (replay protection). */
export type UpMessage =
  | {
      readonly t: 'join';
      readonly v: number;
      readonly n: number;
      /** The guest's MQTT client id (its `gid` is the same string when it fits a topic). */
      readonly id: string;
      readonly session: number;
      /** The guest's next frame sequence number (32-bit, never reset while the guest object lives). */
      readonly q: number;
      /** Random per-guest token: proves a re-announce under a new gid comes from the same guest. */
      readonly tok: string;
      /** The gid this guest used before (client id changed, or it moved to a link id). */
      readonly prev?: string;
      /** The guest's ECDH public key (authenticated rooms). */
      readonly pk?: string;
      readonly name?: string;
    }
  | { readonly t: 'leave'; readonly n: number }
  | { readonly t: 'pong'; readonly n: number; readonly ts: number };

/** Host → guest control messages (JSON on `d/{gid}`). */
export type DownMessage =
  | { readonly t: 'waiting'; readonly n: number; readonly session: number }
  | { readonly t: 'slot'; readonly n: number; readonly slot: number; readonly session: number }
  | { readonly t: 'reject'; readonly n: number; readonly reason: string }
  | { readonly t: 'kick'; readonly n: number; readonly reason?: string }
  | { readonly t: 'ping'; readonly n: number; readonly ts: number; readonly rtt?: number; readonly jitter?: number }
  | { readonly t: 'closed'; readonly n: number }
  /** The host does not seat this guest (it freed the slot, e.g. while the host's own link was down), yet its frames arrive: join again. */
  | { readonly t: 'rejoin'; readonly n: number; readonly session: number };

/** A {@link DownMessage} before the host numbers it. */
export type DownBody = DownMessage extends infer M ? (M extends DownMessage ? Omit<M, 'n'> : never) : never;

/** The host's retained presence on `cp/{room}/h`. */
export interface HostPresence {
  readonly v: number;
  readonly n: number;
  readonly admission: 'auto' | 'manual';
  readonly maxPlayers: number;
  /** Ping period: a seated guest that hears nothing for 3 of these (at least `hostTimeoutMs`) waits for the host again. */
  readonly pingMs: number;
  /** The host's ECDH public key, base64url (authenticated rooms). */
  readonly dk?: string;
  /** Random id of this host object: a new one restarts the host's control counter `n` (unauthenticated rooms' replay check). */
  readonly inst?: string;
}

/** A guest's retained presence on `cp/{room}/p/{gid}`. */
export interface GuestPresence {
  readonly v: number;
  readonly n: number;
  readonly id: string;
  readonly session: number;
  readonly name?: string;
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** Longest control message accepted; anything bigger is garbage. */
const MAX_CONTROL_BYTES = 4096;
const MAX_NAME = 64;
const MAX_REASON = 200;

/** JSON text of a message, as bytes. */
export const jsonBytes = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));

/** Parses a JSON object, or `undefined` for anything else (never throws). */
export function parseJsonObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  if (bytes.length === 0 || bytes.length > MAX_CONTROL_BYTES) return undefined;
  try {
    const value: unknown = JSON.parse(decoder.decode(bytes));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const isByte = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 255;
const isCounter = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isU32 = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0xffffffff;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isToken = (v: unknown): v is string => typeof v === 'string' && /^[0-9A-Za-z_@-]{1,64}$/.test(v);
const text = (v: unknown, max: number): string | undefined => {
  if (typeof v !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex
  const clean = v.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim();
  return clean.length === 0 ? undefined : clean.slice(0, max);
};

/** Validates a guest → host message; `undefined` when malformed. */
export function parseUp(bytes: Uint8Array): UpMessage | undefined {
  const m = parseJsonObject(bytes);
  if (!m || !isCounter(m.n)) return undefined;
  const n = m.n;
  switch (m.t) {
    case 'join': {
      if (m.v !== ROOM_PROTOCOL_VERSION || !isByte(m.session) || !isU32(m.q) || !isToken(m.tok)) return undefined;
      if (typeof m.id !== 'string' || m.id.length === 0 || m.id.length > 256) return undefined;
      if (m.prev !== undefined && !isToken(m.prev)) return undefined;
      if (m.pk !== undefined && !(typeof m.pk === 'string' && m.pk.length <= 100)) return undefined;
      const name = text(m.name, MAX_NAME);
      return {
        t: 'join',
        v: m.v,
        n,
        id: m.id,
        session: m.session,
        q: m.q,
        tok: m.tok,
        ...(m.prev !== undefined ? { prev: m.prev } : {}),
        ...(m.pk !== undefined ? { pk: m.pk } : {}),
        ...(name !== undefined ? { name } : {}),
      };
    }
    case 'leave':
      return { t: 'leave', n };
    case 'pong':
      return isTime(m.ts) ? { t: 'pong', n, ts: m.ts } : undefined;
    default:
      return undefined;
  }
}

/** Validates a host → guest message; `undefined` when malformed. */
export function parseDown(bytes: Uint8Array): DownMessage | undefined {
  const m = parseJsonObject(bytes);
  if (!m || !isCounter(m.n)) return undefined;
  const n = m.n;
  switch (m.t) {
    case 'waiting':
      return isByte(m.session) ? { t: 'waiting', n, session: m.session } : undefined;
    case 'slot':
      return Number.isInteger(m.slot) && (m.slot as number) >= 2 && isByte(m.session)
        ? { t: 'slot', n, slot: m.slot as number, session: m.session }
        : undefined;
    case 'reject':
      return { t: 'reject', n, reason: text(m.reason, MAX_REASON) ?? 'rejected' };
    case 'kick': {
      const reason = text(m.reason, MAX_REASON);
      return reason === undefined ? { t: 'kick', n } : { t: 'kick', n, reason };
    }
    case 'ping': {
      if (!isTime(m.ts)) return undefined;
      return {
        t: 'ping',
        n,
        ts: m.ts,
        ...(isTime(m.rtt) && m.rtt >= 0 ? { rtt: m.rtt } : {}),
        ...(isTime(m.jitter) && m.jitter >= 0 ? { jitter: m.jitter } : {}),
      };
    }
    case 'closed':
      return { t: 'closed', n };
    case 'rejoin':
      return isByte(m.session) ? { t: 'rejoin', n, session: m.session } : undefined;
    default:
      return undefined;
  }
}

/** Validates the host presence; `undefined` when malformed or of another protocol version. */
export function parseHostPresence(bytes: Uint8Array): HostPresence | undefined {
  const m = parseJsonObject(bytes);
  if (!m || m.v !== ROOM_PROTOCOL_VERSION || !isCounter(m.n)) return undefined;
  if (m.dk !== undefined && typeof m.dk !== 'string') return undefined;
  if (m.inst !== undefined && typeof m.inst !== 'string') return undefined;
  return {
    v: m.v,
    n: m.n,
    admission: m.admission === 'manual' ? 'manual' : 'auto',
    maxPlayers: Number.isInteger(m.maxPlayers) ? (m.maxPlayers as number) : 0,
    pingMs: isTime(m.pingMs) && m.pingMs > 0 ? m.pingMs : 1000,
    ...(m.dk !== undefined ? { dk: m.dk } : {}),
    ...(m.inst !== undefined ? { inst: m.inst } : {}),
  };
}

/** Validates a guest presence; `undefined` when malformed. */
export function parseGuestPresence(bytes: Uint8Array): GuestPresence | undefined {
  const m = parseJsonObject(bytes);
  if (!m || m.v !== ROOM_PROTOCOL_VERSION || !isCounter(m.n) || !isByte(m.session) || typeof m.id !== 'string') return undefined;
  const name = text(m.name, MAX_NAME);
  return { v: m.v, n: m.n, id: m.id, session: m.session, ...(name !== undefined ? { name } : {}) };
}

/** Cleans a display name the way the host does: no control characters, trimmed, ≤ 64 characters. */
export function cleanName(name: unknown): string | undefined {
  return text(name, MAX_NAME);
}
