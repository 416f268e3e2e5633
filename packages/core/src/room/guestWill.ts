import type { WillMessage } from '../connection/types';
import { roomTopics } from './roomTopics';

/**
 * The last will a guest's connection should carry: an empty retained message on its presence
 * topic. When the guest drops without leaving, the broker publishes it, which clears the retained
 * presence and tells the host at once (the player shows `interrupted`, input goes neutral).
 *
 * `gid` is the guest's topic id: its client id when that fits the broker's topics (see
 * PROTOCOL.md), which is what `joinRoom` uses. `joinRoom` sets this will itself (`setWill`),
 * from the link's real client id; passing it at `createConnection` only saves one reconnect's worth.
 * @throws CoplayError `INVALID_ID` for a bad room or guest id.
 */
export function guestWill(room: string, gid: string): WillMessage {
  return { topic: roomTopics(room).presence(gid), payload: '', retain: true, qos: 1 };
}
