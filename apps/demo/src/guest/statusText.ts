import type { ConnectionState, GuestStatus } from '@coplay/core';

/**
 * What the guest page says about its room. While the link is down the room cannot be joined or
 * played, so the link's state wins over the room's `joining` / `waiting` / `playing`.
 */
export function statusText(link: ConnectionState, room: GuestStatus): string {
  const live = room.status === 'joining' || room.status === 'waiting' || room.status === 'playing';
  if (live && link.status === 'reconnecting') return 'reconnecting…';
  if (live && (link.status === 'connecting' || link.status === 'idle')) return 'connecting…';
  switch (room.status) {
    case 'playing':
      return `playing as P${room.slot}`;
    case 'waiting':
      return 'waiting for the host to let you in';
    case 'joining':
      return 'joining…';
    case 'rejected':
      return `the host declined${room.reason ? `: ${room.reason}` : ''}`;
    case 'kicked':
      return `removed by the host${room.reason ? `: ${room.reason}` : ''}`;
    case 'failed':
      return `could not join: ${room.error.message}`;
    default:
      return 'the room is closed';
  }
}
