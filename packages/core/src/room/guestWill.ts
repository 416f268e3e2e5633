import type { WillMessage } from '../connection/types';
import { roomTopics } from './roomTopics';

/**
 * The last will a guest's connection should carry: an empty retained message on its presence
 * topic. When the guest drops without leaving, the broker publishes it, which clears the retained
 * presence and tells the host at once (the player shows `interrupted`, input goes neutral).
 *
 * Pass it when creating the connection, since a will only takes effect on the next CONNECT:
 * `createConnection({ url, clientId, will: guestWill(room, clientId) })`.
 * @throws CoplayError `INVALID_ID` for a bad room or client id.
 */
export function guestWill(room: string, clientId: string): WillMessage {
  return { topic: roomTopics(room).presence(clientId), payload: '', retain: true, qos: 1 };
}
