import { startEasemobBroker, type EasemobBroker } from '@coplay/testkit';
import { expect, it } from 'vitest';
import { easemobCredentials } from '../../auth/easemobCredentials';
import { waitForState } from '../testing';
import { hostRoom } from '../../room/hostRoom';
import { connectionSuite, device } from './connectionSuite';
import { roomRoundTrip } from './roomSuite';
import type { Message } from '../types';

let easemob: EasemobBroker;
const credentials = (deviceId: string) =>
  easemobCredentials({
    apiUrl: easemob.apiUrl,
    appId: easemob.appId,
    appClientId: easemob.appClientId,
    appClientSecret: easemob.appClientSecret,
    username: deviceId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64),
    deviceId,
  });

connectionSuite({
  name: 'Easemob-like broker (limits + token check)',
  broker: 'easemob',
  start: async () => {
    easemob = await startEasemobBroker();
    return { url: easemob.url, options: (id) => ({ credentials: credentials(id) }), close: () => easemob.close() };
  },
  extra: (_get, open) => {
    it('a room with the longest ids Easemob allows, using every allowed character, works end to end', async () => {
      const seq = `${Date.now() % 1000}`.padStart(3, '0');
      // 50 = 64 − the 14 characters of `cp/{room}/i/…`'s fixed part and shortest guest id: the longest room id on Easemob.
      const room = `R@${'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU'}${seq.slice(0, 1)}`;
      // Device ids of 57 characters + `@abc123` = 64-character client ids. Together with the room id they
      // use all 65 characters of 0-9 a-z A-Z - _ @.
      const hostDevice = `H-${'0123456789VWXYZ'}_${'x'.repeat(36)}${seq}`;
      const guestDevice = `G_${'9876543210ZYXWV'}-${'y'.repeat(36)}${seq}`;
      expect(room).toHaveLength(50);
      expect([hostDevice.length, guestDevice.length]).toEqual([57, 57]);
      const all = new Set([...room, ...hostDevice, ...guestDevice, '@']);
      expect(all.size).toBe(65);
      const droppedBefore = easemob.dropped.length;
      const { hostConn, guestConn } = await roomRoundTrip(open, { room, host: hostDevice, guest: guestDevice });
      expect([hostConn.clientId.length, guestConn.clientId.length]).toEqual([64, 64]);
      // Nothing coplay sent was dropped by the broker for its limits.
      expect(easemob.dropped.slice(droppedBefore)).toEqual([]);
    });

    it('a room id that cannot fit Easemob\'s 64-character topics is a typed error before anything is sent', async () => {
      const c = open(device('too-long-host'));
      await waitForState(c, 'connected');
      expect(() => hostRoom(c, { room: 'r'.repeat(51) })).toThrow(expect.objectContaining({ code: 'TOPIC_TOO_LONG' }));
      expect(easemob.broker.count('subscribe', { clientId: c.clientId })).toBe(0);
      expect(easemob.broker.count('publish', { clientId: c.clientId })).toBe(0);
    });

    it('what Easemob would drop silently is a typed error; a generic-profile client loses it without a word', async () => {
      const topic = `suite/${'x'.repeat(59)}`; // 65 characters
      const strict = open(device('strict'));
      await waitForState(strict, 'connected');
      await expect(strict.publish(topic, 'x', { qos: 1 })).rejects.toMatchObject({ code: 'TOPIC_TOO_LONG', details: { broker: 'easemob', limit: 64, actual: 65 } });
      await expect(strict.publish('suite/ok', new Uint8Array(65_536))).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limit: 65_535 } });

      const loose = open(device('loose'), { broker: 'generic' });
      const got: Message[] = [];
      loose.topic('suite/#', { qos: 1 }).subscribe((m) => got.push(m));
      await waitForState(loose, 'connected');
      await expect(loose.publish(topic, 'lost', { qos: 1 })).resolves.toBe(true); // acknowledged...
      await expect.poll(async () => (await loose.publish('suite/marker', 'm', { qos: 1 }), got.some((m) => m.topic === 'suite/marker')), { timeout: 10_000 }).toBe(true);
      expect(got.some((m) => m.topic === topic)).toBe(false); // ...and dropped
      expect(easemob.dropped.some((d) => d.topic === topic && d.reason === 'topic-too-long')).toBe(true);
    });

    it('a 64-character client id (device id of 57, with - and _, then @abc123) connects and round-trips', async () => {
      const c = open(`${'0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.slice(0, 55)}-_`);
      expect(c.broker.name).toBe('easemob');
      await waitForState(c, 'connected');
      expect(c.clientId).toHaveLength(64);
      const got: string[] = [];
      c.topic('suite/self', { qos: 1 }).subscribe((m) => got.push(m.topic));
      await expect.poll(async () => (await c.publish('suite/self', 'x', { qos: 1 }), got.length > 0), { timeout: 10_000 }).toBe(true);
    });
  },
});
