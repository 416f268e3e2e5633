import { validateId } from './validateId';

/** Version of the room protocol (PROTOCOL.md); carried as `v` in control messages. */
export const ROOM_PROTOCOL_VERSION = 1;

/** Topics of one room (PROTOCOL.md). */
export interface RoomTopics {
  /** `coplay/{room}` */
  readonly root: string;
  /** `coplay/{room}/in/{clientId}`: a guest's input frames (QoS 0, binary). */
  input(clientId: string): string;
  /** `coplay/{room}/presence/{clientId}`: a guest's retained presence, cleared by its last will. */
  presence(clientId: string): string;
  /** `coplay/{room}/ctl/up/{clientId}`: guest → host control (join, leave, pong). */
  up(clientId: string): string;
  /** `coplay/{room}/ctl/down/{clientId}`: host → guest control (waiting, slot, reject, kick, ping, closed). */
  down(clientId: string): string;
  /** `coplay/{room}/host`: the host's retained presence, cleared by its last will or on close. */
  readonly host: string;
  /** `coplay/{room}/state`: the host's latest broadcast (retained). */
  readonly state: string;
}

/**
 * The topics of a room.
 * @throws CoplayError `INVALID_ID` for a bad room id (and, from the functions, a bad client id).
 */
export function roomTopics(room: string): RoomTopics {
  const root = `coplay/${validateId(room, 'room')}`;
  const of = (kind: string) => (clientId: string) => `${root}/${kind}/${validateId(clientId, 'client')}`;
  return {
    root,
    input: of('in'),
    presence: of('presence'),
    up: of('ctl/up'),
    down: of('ctl/down'),
    host: `${root}/host`,
    state: `${root}/state`,
  };
}
