import { CoplayError } from '../errors/CoplayError';

/** Longest room or client id (Easemob client ids are at most 64 characters). */
export const MAX_ID_LENGTH = 64;

// `/ + #` would break topic levels or act as wildcards, `.` is a separator on NATS, whitespace
// is refused by NATS, and control characters have no business in a topic.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[/+#.\s\u0000-\u001f\u007f-\u009f]/u;

/**
 * Checks a room or client id before it goes into a topic, and returns it.
 * @throws CoplayError `INVALID_ID` when the id is empty, longer than 64 characters, or holds
 * `/`, `+`, `#`, `.`, whitespace or a control character.
 */
export function validateId(id: unknown, kind: 'room' | 'client' = 'room'): string {
  const fail = (why: string): never => {
    throw new CoplayError('INVALID_ID', `Invalid ${kind} id ${JSON.stringify(id)}: ${why}`, { details: { kind, id } });
  };
  if (typeof id !== 'string') return fail('must be a string');
  if (id.length === 0) return fail('must not be empty');
  if (id.length > MAX_ID_LENGTH) return fail(`must be at most ${MAX_ID_LENGTH} characters`);
  const bad = FORBIDDEN.exec(id);
  if (bad) return fail(`must not contain ${JSON.stringify(bad[0])} (no / + # . whitespace or control characters)`);
  return id;
}
