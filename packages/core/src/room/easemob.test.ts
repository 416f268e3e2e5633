import { startEasemobBroker, type EasemobBroker } from '@coplay/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { easemobCredentials } from '../auth/easemobCredentials';
import { Button } from '../input/ControllerState';
import { hostRoom } from './hostRoom';
import { joinRoom } from './joinRoom';
import { broadcastUntil, connections, press, until } from './roomTestKit';
import { maxRoomIdLength } from './roomTopics';

// Issue 10: on Easemob (topics ≤ 64 characters of 0-9 a-z A-Z - _ @, client ids deviceId@appId ≤ 64),
// a room with the longest room id and the longest client ids works end to end, and nothing is dropped.
describe('rooms on the Easemob-like broker (its limits and token check)', () => {
  let easemob: EasemobBroker;
  const conns = connections(() => easemob.url);
  beforeAll(async () => {
    easemob = await startEasemobBroker();
  });
  afterAll(async () => {
    await conns.closeAll();
    await easemob?.close();
  });
  const open = (deviceId: string) =>
    conns.open({
      clientId: deviceId, // replaced by deviceId@appId from the token flow
      broker: 'easemob',
      credentials: easemobCredentials({
        apiUrl: easemob.apiUrl,
        appId: easemob.appId,
        appClientId: easemob.appClientId,
        appClientSecret: easemob.appClientSecret,
        username: deviceId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64),
        deviceId,
      }),
    });

  it('the longest room id, built from every allowed character, and 64-character client ids: join, play, broadcast, kick', async () => {
    const alphabet = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_@';
    const room = alphabet.slice(-maxRoomIdLength({ name: 'easemob', maxTopicLength: 64 }));
    expect(room).toHaveLength(50);
    expect(room).toContain('@');
    const device = (tag: string) => `${tag}-${alphabet.slice(0, 57 - tag.length - 1)}`; // 57 + '@abc123' = 64
    const hostConn = open(device('h'));
    const host = hostRoom<{ n: number }>(hostConn, { room });
    const aConn = open(device('a'));
    const bConn = open(device('b'));
    const invite = await host.invite;
    const a = joinRoom<{ n: number }>(aConn, { invite, name: 'Ada', browserEvents: false });
    const b = joinRoom<{ n: number }>(bConn, { invite, name: 'Bo', browserEvents: false });
    try {
      await until(a.status.value$, (s) => s.status === 'playing');
      await until(b.status.value$, (s) => s.status === 'playing');
      expect(aConn.clientId).toHaveLength(64);
      // The client ids cannot fit a topic here: each guest negotiated a short link id.
      const players = host.players.value;
      expect(players.map((p) => p.clientId).sort()).toEqual([aConn.clientId, bConn.clientId].sort());
      for (const p of players) expect(p.id).toMatch(/^[0-9A-Za-z]{8}$/);

      a.send(press(1 << Button.A, [1, 0, 0, 0]));
      const slotA = players.find((p) => p.clientId === aConn.clientId)!.slot;
      await until(host.input(slotA).value$, (s) => s.buttons === 1 << Button.A && s.axes[0] === 1);
      await broadcastUntil(host, b, { n: 7 }, (s) => s?.n === 7);
      expect(host.kick(players.find((p) => p.clientId === bConn.clientId)!.id, 'bye')).toBe(true);
      await until(b.status.value$, (s) => s.status === 'kicked');
      // Every topic the room used fitted Easemob's limits: the broker dropped nothing.
      expect(easemob.dropped).toEqual([]);
      expect(host.stats.value.forged + host.stats.value.badControl + host.stats.value.malformed).toBe(0);
    } finally {
      await a.close();
      await b.close();
      await host.close();
    }
  });
});
