import { ROOM_PROTOCOL_VERSION } from './roomTopics';

/** Guest → host control messages (JSON on `ctl/up/{clientId}`). */
export type UpMessage =
  | { readonly t: 'join'; readonly v: number; readonly session: number; readonly name?: string }
  | { readonly t: 'leave' }
  | { readonly t: 'pong'; readonly ts: number };

/** Host → guest control messages (JSON on `ctl/down/{clientId}`). */
export type DownMessage =
  | { readonly t: 'waiting'; readonly session: number }
  | { readonly t: 'slot'; readonly slot: number; readonly session: number }
  | { readonly t: 'reject'; readonly reason: string }
  | { readonly t: 'kick'; readonly reason?: string }
  | { readonly t: 'ping'; readonly ts: number; readonly rtt?: number; readonly jitter?: number }
  | { readonly t: 'closed' };

/** The host's retained presence on `coplay/{room}/host`. */
export interface HostPresence {
  readonly v: number;
  readonly admission: 'auto' | 'manual';
  readonly maxPlayers: number;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Longest control message accepted; anything bigger is garbage. */
const MAX_CONTROL_BYTES = 4096;
const MAX_NAME = 64;
const MAX_REASON = 200;

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
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const text = (v: unknown, max: number): string | undefined => {
  if (typeof v !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex
  const clean = v.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim();
  return clean.length === 0 ? undefined : clean.slice(0, max);
};

/** Validates a guest → host message; `undefined` when malformed. */
export function parseUp(bytes: Uint8Array): UpMessage | undefined {
  const m = parseJsonObject(bytes);
  if (!m) return undefined;
  switch (m.t) {
    case 'join': {
      if (!isByte(m.session) || typeof m.v !== 'number') return undefined;
      if (m.v !== ROOM_PROTOCOL_VERSION) return undefined;
      const name = text(m.name, MAX_NAME);
      return name === undefined ? { t: 'join', v: m.v, session: m.session } : { t: 'join', v: m.v, session: m.session, name };
    }
    case 'leave':
      return { t: 'leave' };
    case 'pong':
      return isTime(m.ts) ? { t: 'pong', ts: m.ts } : undefined;
    default:
      return undefined;
  }
}

/** Validates a host → guest message; `undefined` when malformed. */
export function parseDown(bytes: Uint8Array): DownMessage | undefined {
  const m = parseJsonObject(bytes);
  if (!m) return undefined;
  switch (m.t) {
    case 'waiting':
      return isByte(m.session) ? { t: 'waiting', session: m.session } : undefined;
    case 'slot':
      return Number.isInteger(m.slot) && (m.slot as number) >= 2 && isByte(m.session)
        ? { t: 'slot', slot: m.slot as number, session: m.session }
        : undefined;
    case 'reject':
      return { t: 'reject', reason: text(m.reason, MAX_REASON) ?? 'rejected' };
    case 'kick': {
      const reason = text(m.reason, MAX_REASON);
      return reason === undefined ? { t: 'kick' } : { t: 'kick', reason };
    }
    case 'ping': {
      if (!isTime(m.ts)) return undefined;
      return {
        t: 'ping',
        ts: m.ts,
        ...(isTime(m.rtt) && m.rtt >= 0 ? { rtt: m.rtt } : {}),
        ...(isTime(m.jitter) && m.jitter >= 0 ? { jitter: m.jitter } : {}),
      };
    }
    case 'closed':
      return { t: 'closed' };
    default:
      return undefined;
  }
}

/** Validates the host presence; `undefined` when empty (host gone) or malformed. */
export function parseHostPresence(bytes: Uint8Array): HostPresence | undefined {
  const m = parseJsonObject(bytes);
  if (!m || typeof m.v !== 'number') return undefined;
  return {
    v: m.v,
    admission: m.admission === 'manual' ? 'manual' : 'auto',
    maxPlayers: Number.isInteger(m.maxPlayers) ? (m.maxPlayers as number) : 0,
  };
}

/** Cleans a display name the way the host does: no control characters, trimmed, ≤ 64 characters. */
export function cleanName(name: unknown): string | undefined {
  return text(name, MAX_NAME);
}
