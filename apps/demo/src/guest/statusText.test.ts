import { CoplayError, type ConnectionState } from '@coplay/core';
import { describe, expect, it } from 'vitest';
import { statusText } from './statusText';

const connected: ConnectionState = { status: 'connected', server: 'ws://b', since: 0 };
const reconnecting: ConnectionState = { status: 'reconnecting', attempt: 2, delayMs: 500, reason: new CoplayError('CONNECTION_LOST', 'gone') };

describe('guest status text', () => {
  it('a guest whose link is down reads "reconnecting", not "joining…" or "playing"', () => {
    expect(statusText(reconnecting, { status: 'joining' })).toBe('reconnecting…');
    expect(statusText(reconnecting, { status: 'playing', slot: 2 })).toBe('reconnecting…');
    expect(statusText(reconnecting, { status: 'waiting' })).toBe('reconnecting…');
  });

  it('says what the room says while the link is up, and a final room status whatever the link', () => {
    expect(statusText(connected, { status: 'joining' })).toBe('joining…');
    expect(statusText(connected, { status: 'playing', slot: 2 })).toBe('playing as P2');
    expect(statusText(reconnecting, { status: 'kicked', reason: 'spam' })).toBe('removed by the host: spam');
    expect(statusText(reconnecting, { status: 'closed' })).toBe('the room is closed');
  });
});
