import type { WillMessage } from '../connection/types';
import { roomTopics } from './roomTopics';

/**
 * The last will a host's connection should carry: an empty retained message on the room's host
 * topic. When the host drops without closing the room, guests see the host gone and wait for it
 * (status `joining`) instead of sending into the void.
 * @throws CoplayError `INVALID_ID` for a bad room id.
 */
export function hostWill(room: string): WillMessage {
  return { topic: roomTopics(room).host, payload: '', retain: true, qos: 1 };
}
