import { CoplayError } from '../errors/CoplayError';

/** Longest room id, and longest client id that a room puts into its topics (Easemob client ids are at most 64). */
export const MAX_ID_LENGTH = 64;

/**
 * The only characters room protocol v2 puts into a topic level: Easemob's topic alphabet, which
 * every other broker accepts too (no `.` for NATS, no wildcards, no whitespace).
 */
export const TOPIC_ID_PATTERN = /^[0-9A-Za-z_@-]+$/;

/**
 * Checks a room id (or a guest's topic id) before it goes into a topic, and returns it.
 * @throws CoplayError `INVALID_ID` when the id is empty, longer than 64 characters, or holds a
 * character other than `0-9 a-z A-Z - _ @`.
 */
export function validateId(id: unknown, kind: 'room' | 'client' = 'room'): string {
  const fail = (why: string): never => {
    throw new CoplayError('INVALID_ID', `Invalid ${kind} id ${JSON.stringify(id)}: ${why}`, { details: { kind, id } });
  };
  if (typeof id !== 'string') return fail('must be a string');
  if (id.length === 0) return fail('must not be empty');
  if (id.length > MAX_ID_LENGTH) return fail(`must be at most ${MAX_ID_LENGTH} characters`);
  if (!TOPIC_ID_PATTERN.test(id)) {
    const bad = /[^0-9A-Za-z_@-]/u.exec(id)![0];
    return fail(`must not contain ${JSON.stringify(bad)} (only 0-9 a-z A-Z - _ @)`);
  }
  return id;
}
