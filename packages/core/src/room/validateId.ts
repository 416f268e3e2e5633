import { CoplayError } from '../errors/CoplayError';

/** Longest room id, and longest client id that a room puts into its topics (Easemob client ids are at most 64). */
export const MAX_ID_LENGTH = 64;

/**
 * The only characters room protocol v2 puts into a topic level: Easemob's topic alphabet, which
 * every other broker accepts too (no `.` for NATS, no wildcards, no whitespace).
 */
export const TOPIC_ID_PATTERN = /^[0-9A-Za-z_@-]+$/;

/** Options of {@link validateId} for ids with other rules (Easemob usernames, device and app ids). */
export interface IdRules {
  /** Longest allowed id. Default {@link MAX_ID_LENGTH}. */
  max?: number | undefined;
  /** Allowed characters. Default: the topic alphabet `[0-9A-Za-z_@-]`. */
  pattern?: RegExp | undefined;
  /** The allowed characters, for the error message. Default `0-9 a-z A-Z - _ @`. */
  alphabet?: string | undefined;
}

/**
 * Checks an id (a room id or a guest's topic id by default) before it goes into a topic, and
 * returns it. The one id validator of the package: Easemob's username, device and app id checks
 * use it with their own `rules`.
 * @throws CoplayError `INVALID_ID` when the id is empty, longer than 64 characters (`rules.max`),
 * or holds a character other than `0-9 a-z A-Z - _ @` (`rules.pattern`).
 */
export function validateId(id: unknown, kind: string = 'room', rules: IdRules = {}): string {
  const max = rules.max ?? MAX_ID_LENGTH;
  const pattern = rules.pattern ?? TOPIC_ID_PATTERN;
  const alphabet = rules.alphabet ?? '0-9 a-z A-Z - _ @';
  const fail = (why: string): never => {
    throw new CoplayError('INVALID_ID', `Invalid ${kind} id ${JSON.stringify(id)}: ${why}`, {
      details: { kind, id, length: typeof id === 'string' ? id.length : undefined },
    });
  };
  if (typeof id !== 'string') return fail('must be a string');
  if (id.length === 0) return fail('must not be empty');
  if (id.length > max) return fail(`must be at most ${max} characters`);
  if (!pattern.test(id)) return fail(`must only contain ${alphabet}`);
  return id;
}
