import { CoplayError } from '../errors/CoplayError';
import { MAX_ID_LENGTH, TOPIC_ID_PATTERN, validateId } from './validateId';

/** Version of the room protocol (PROTOCOL.md); carried as `v` in control messages and in the frame's first byte. */
export const ROOM_PROTOCOL_VERSION = 2;

/** Length of a link id: the short guest topic id used when the client id does not fit a topic. */
export const LINK_ID_LENGTH = 8;

/** `cp/` before the room and `/x/` after it. */
const FIXED_CHARS = 6;

/**
 * The broker limits a room checks its topics against: a subset of the connection's broker
 * profile (`connection.broker`).
 */
export interface RoomTopicLimits {
  /** Broker name, for error messages. */
  readonly name: string;
  /** Longest topic the broker delivers. */
  readonly maxTopicLength: number;
  /** What every topic level must match, when the broker restricts it. */
  readonly topicLevel?: RegExp;
}

/** MQTT's own limit, for a connection that names no broker profile. */
export const GENERIC_TOPIC_LIMITS: RoomTopicLimits = Object.freeze({ name: 'generic', maxTopicLength: 65535 });

/** Topics of one room (PROTOCOL.md). `gid` is a guest's topic id: its client id, or its link id. */
export interface RoomTopics {
  /** `cp/{room}` */
  readonly root: string;
  /** `cp/{room}/i/{gid}`: a guest's input frames (QoS 0, binary). */
  input(gid: string): string;
  /** `cp/{room}/p/{gid}`: a guest's retained presence, cleared by its last will. */
  presence(gid: string): string;
  /** `cp/{room}/u/{gid}`: guest → host control (join, leave, pong). */
  up(gid: string): string;
  /** `cp/{room}/d/{gid}`: host → guest control (waiting, slot, reject, kick, ping, closed). */
  down(gid: string): string;
  /** `cp/{room}/h`: the host's retained presence. */
  readonly host: string;
  /** `cp/{room}/s`: the host's latest broadcast (retained). */
  readonly state: string;
}

/**
 * The topics of a room.
 * @throws CoplayError `INVALID_ID` for a bad room id (and, from the functions, a bad guest id).
 */
export function roomTopics(room: string): RoomTopics {
  const root = `cp/${validateId(room, 'room')}`;
  const of = (kind: string) => (gid: string) => `${root}/${kind}/${validateId(gid, 'client')}`;
  return { root, input: of('i'), presence: of('p'), up: of('u'), down: of('d'), host: `${root}/h`, state: `${root}/s` };
}

/** Longest room id whose topics fit `limits` with a link id (at most 64). */
export function maxRoomIdLength(limits: RoomTopicLimits): number {
  return Math.min(MAX_ID_LENGTH, limits.maxTopicLength - FIXED_CHARS - LINK_ID_LENGTH);
}

/**
 * Checks that every topic of `room` fits the broker, whatever the guests' client ids.
 * @throws CoplayError `INVALID_ID` for a bad room id, `TOPIC_TOO_LONG` when the room id is too long for the broker.
 */
export function checkRoomFits(room: string, limits: RoomTopicLimits): string {
  validateId(room, 'room');
  const max = maxRoomIdLength(limits);
  if (room.length > max) {
    throw new CoplayError(
      'TOPIC_TOO_LONG',
      `room id ${JSON.stringify(room)} is ${room.length} characters; on broker ${limits.name} (topics ≤ ${limits.maxTopicLength}) a room id may have at most ${max}`,
      { details: { broker: limits.name, limit: max, actual: room.length } },
    );
  }
  if (limits.topicLevel && !limits.topicLevel.test(room)) {
    throw new CoplayError('INVALID_ID', `room id ${JSON.stringify(room)} has characters broker ${limits.name} refuses in a topic`, {
      details: { broker: limits.name },
    });
  }
  return room;
}

/**
 * The guest topic id for a client id: the client id itself when it is made of topic characters
 * and `cp/{room}/x/{clientId}` fits the broker (so a broker ACL can pin it with `%c`); otherwise
 * `undefined`, and the guest uses a random link id instead.
 */
export function clientTopicId(room: string, clientId: string, limits: RoomTopicLimits): string | undefined {
  if (clientId.length === 0 || clientId.length > MAX_ID_LENGTH || !TOPIC_ID_PATTERN.test(clientId)) return undefined;
  if (limits.topicLevel && !limits.topicLevel.test(clientId)) return undefined;
  return FIXED_CHARS + room.length + clientId.length <= limits.maxTopicLength ? clientId : undefined;
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A random link id: 8 characters of `0-9 A-Z a-z` (~47 bits). */
export function randomLinkId(): string {
  const bytes = new Uint8Array(LINK_ID_LENGTH);
  globalThis.crypto.getRandomValues(bytes);
  let id = '';
  // 62 does not divide 256; the bias (< 2 %) does not matter for an id that only has to be unlikely to collide.
  for (const b of bytes) id += ALPHABET[b % 62];
  return id;
}

/** The broker limits of a connection: its broker profile, or MQTT's own limits without one. */
export function topicLimitsOf(connection: object): RoomTopicLimits {
  const broker = (connection as { broker?: RoomTopicLimits }).broker;
  return broker && typeof broker.maxTopicLength === 'number' ? broker : GENERIC_TOPIC_LIMITS;
}
