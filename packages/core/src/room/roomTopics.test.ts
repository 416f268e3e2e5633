import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BROKER_PROFILES } from '../connection/BROKER_PROFILES';
import { formatInvite, parseInvite } from './invite';
import { checkRoomFits, clientTopicId, LINK_ID_LENGTH, maxRoomIdLength, randomLinkId, roomTopics } from './roomTopics';

const alphabet = fc.constantFrom(...'0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_@'.split(''));
const id = (max: number) => fc.array(alphabet, { minLength: 1, maxLength: max }).map((a) => a.join(''));

describe('room topics v2', () => {
  it('has the documented layout', () => {
    const t = roomTopics('r1');
    expect([t.root, t.input('g'), t.presence('g'), t.up('g'), t.down('g'), t.host, t.state]).toEqual([
      'cp/r1',
      'cp/r1/i/g',
      'cp/r1/p/g',
      'cp/r1/u/g',
      'cp/r1/d/g',
      'cp/r1/h',
      'cp/r1/s',
    ]);
  });

  it('on every built-in broker profile, every topic of any room that fits stays within the limit and the alphabet', () => {
    for (const profile of Object.values(BROKER_PROFILES)) {
      const maxRoom = maxRoomIdLength(profile);
      fc.assert(
        fc.property(id(maxRoom), fc.string({ minLength: 1, maxLength: 80 }), (room, clientId) => {
          checkRoomFits(room, profile);
          const gid = clientTopicId(room, clientId, profile) ?? randomLinkId();
          const t = roomTopics(room);
          for (const topic of [t.input(gid), t.presence(gid), t.up(gid), t.down(gid), t.host, t.state]) {
            expect(topic.length).toBeLessThanOrEqual(profile.maxTopicLength);
            for (const level of topic.split('/')) expect(level).toMatch(/^[0-9A-Za-z_@-]+$/);
          }
        }),
        { numRuns: 200 },
      );
    }
  });

  it('uses the client id when it fits (so an ACL can pin it), a link id otherwise', () => {
    const easemob = BROKER_PROFILES.easemob;
    expect(maxRoomIdLength(easemob)).toBe(64 - 6 - LINK_ID_LENGTH);
    expect(clientTopicId('r1', 'alice@app', easemob)).toBe('alice@app');
    expect(clientTopicId('r1', 'x'.repeat(56), easemob)).toBe('x'.repeat(56)); // exactly 64
    expect(clientTopicId('r1', 'x'.repeat(57), easemob)).toBeUndefined();
    expect(clientTopicId('r1', 'a.b', BROKER_PROFILES.generic)).toBeUndefined();
    expect(clientTopicId('r1', 'café', BROKER_PROFILES.generic)).toBeUndefined();
    expect(randomLinkId()).toMatch(/^[0-9A-Za-z]{8}$/);
  });

  it('invites round-trip through a URL fragment and refuse damage', () => {
    const key = 'B' + 'A'.repeat(86);
    const invite = { room: 'living-room', key };
    expect(parseInvite(`https://example.com/guest.html?room=x#${formatInvite(invite)}`)).toEqual(invite);
    expect(parseInvite(`#${formatInvite({ room: 'r1' })}`)).toEqual({ room: 'r1' });
    for (const bad of ['#k=abc', '#r=a/b', `#r=r1&k=${key.slice(1)}`, '#r=r1&k=!!']) {
      expect(() => parseInvite(bad)).toThrowError(expect.objectContaining({ code: 'INVALID_INVITE' }));
    }
  });
});
