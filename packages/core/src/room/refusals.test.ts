import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { refuseSubscribe, requireTool, startBroker, startMosquitto, type EmbeddedBroker } from '@coplay/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hostRoom } from './hostRoom';
import { joinRoom } from './joinRoom';
import { connections, until } from './roomTestKit';
import type { Live } from '../store/Live';
import type { GuestRoom, GuestStatus, HostRoom, HostStatus } from './types';

// Issue 10, refusals: what the broker refuses, and a join nobody answers, end the room as
// `failed` with a typed error instead of leaving it waiting forever.
describe('refusals end a room as failed, typed', () => {
  let broker: EmbeddedBroker;
  const conns = connections(() => broker.url);
  const rooms: Array<HostRoom | GuestRoom> = [];
  beforeEach(async () => {
    broker = await startBroker();
  });
  afterEach(async () => {
    for (const r of rooms.splice(0)) await r.close();
    await conns.closeAll();
    await broker.close();
  });
  // The value first: a room that already ended has completed its `value$`.
  const failed = async <T extends HostStatus | GuestStatus>(room: { status: Live<T> }) =>
    (room.status.value.status === 'failed' ? room.status.value : await until(room.status.value$, (s) => s.status === 'failed')) as Extract<
      T,
      { status: 'failed' }
    >;

  it('a host whose subscription the broker refuses', async () => {
    const restore = refuseSubscribe(broker, 'cp/rf1/u/+');
    try {
      const connection = conns.open({ clientId: 'rf1-host' });
      const reported: string[] = [];
      connection.errors$.subscribe((e) => reported.push(e.code));
      const host = hostRoom(connection, { room: 'rf1', secure: false });
      rooms.push(host);
      const s = await failed(host);
      expect(s.error).toMatchObject({ code: 'SUBSCRIBE_FAILED' });
      expect(reported).toContain('SUBSCRIBE_FAILED'); // also on the connection's errors$
      expect(host.input(2).value).toMatchObject({ buttons: 0 });
    } finally {
      restore();
    }
  });

  it('a guest whose subscription to its control topic the broker refuses', async () => {
    const restore = refuseSubscribe(broker, 'cp/rf2/d/g1');
    try {
      const guest = joinRoom(conns.open({ clientId: 'g1' }), { room: 'rf2', secure: false, browserEvents: false });
      rooms.push(guest);
      const s = await failed(guest);
      expect(s.error).toMatchObject({ code: 'SUBSCRIBE_FAILED' });
      expect(() => guest.send({ buttons: 1, axes: [0, 0, 0, 0], triggers: [0, 0] })).toThrowError(expect.objectContaining({ code: 'ROOM_CLOSED' }));
    } finally {
      restore();
    }
  });

  it('a join that no host answers: JOIN_TIMEOUT (also with authentication, where no verified host ever appears)', async () => {
    const plain = joinRoom(conns.open({ clientId: 'lonely' }), { room: 'rf3', secure: false, browserEvents: false, joinRetryMs: 20, joinTimeoutMs: 200 });
    const host = hostRoom(conns.open({ clientId: 'rf4-host', autoConnect: false }), { room: 'rf4' }); // never connects
    rooms.push(plain, host);
    const secure = joinRoom(conns.open({ clientId: 'lonely2' }), { invite: await host.invite, browserEvents: false, joinRetryMs: 20, joinTimeoutMs: 200 });
    rooms.push(secure);
    expect((await failed(plain)).error).toMatchObject({ code: 'JOIN_TIMEOUT', details: { room: 'rf3' } });
    expect((await failed(secure)).error).toMatchObject({ code: 'JOIN_TIMEOUT' });
    expect(secure.hostTrust.value).toBe('pending');
  });

  it('room ids that cannot fit the broker profile fail at once, typed', () => {
    const easemob = conns.open({ clientId: 'e1', broker: 'easemob', autoConnect: false });
    const ok = 'r'.repeat(50);
    expect(() => hostRoom(easemob, { room: 'r'.repeat(51) })).toThrowError(expect.objectContaining({ code: 'TOPIC_TOO_LONG', details: { broker: 'easemob', limit: 50, actual: 51 } }));
    expect(() => joinRoom(easemob, { room: 'r'.repeat(51), secure: false })).toThrowError(expect.objectContaining({ code: 'TOPIC_TOO_LONG' }));
    expect(() => joinRoom(easemob, { invite: `#r=${'r'.repeat(51)}` })).toThrowError(expect.objectContaining({ code: 'TOPIC_TOO_LONG' }));
    expect(() => hostRoom(easemob, { room: 'caf\u00e9' })).toThrowError(expect.objectContaining({ code: 'INVALID_ID' }));
    const host = hostRoom(easemob, { room: ok, secure: false });
    rooms.push(host);
    const generic = conns.open({ clientId: 'g-generic', autoConnect: false });
    expect(() => hostRoom(generic, { room: 'x'.repeat(65) })).toThrowError(expect.objectContaining({ code: 'INVALID_ID' }));
  });
});

const mosquitto = requireTool('mosquitto');
describe.skipIf(!mosquitto.available)('a publish the broker refuses (MQTT 5 reason code, mosquitto ACL)', () => {
  it('a guest whose client id cannot name its topics (a dot) falls back to a link id the ACL does not grant: PUBLISH_REFUSED', async () => {
    const acl = readFileSync(fileURLToPath(new URL('../../../../docs/mosquitto-acl.conf', import.meta.url)), 'utf8');
    const broker = await startMosquitto({ acl });
    const conns = connections(() => broker.url);
    try {
      const connection = conns.open({ clientId: 'carol.tab', protocolVersion: 5 });
      const reported: Array<{ code: string; reasonCode?: unknown }> = [];
      connection.errors$.subscribe((e) => reported.push({ code: e.code, reasonCode: e.details?.reasonCode }));
      const guest = joinRoom(connection, { room: 'rf5', secure: false, browserEvents: false });
      const s = await until(guest.status.value$, (st) => st.status === 'failed');
      expect((s as Extract<GuestStatus, { status: 'failed' }>).error).toMatchObject({ code: 'PUBLISH_REFUSED', details: { reasonCode: 0x87 } });
      expect(reported).toContainEqual({ code: 'PUBLISH_FAILED', reasonCode: 0x87 }); // also on the connection's errors$
      await guest.close();
    } finally {
      await conns.closeAll();
      await broker.close();
    }
  });
});
