import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { requireTool, startMosquitto, startTokenAuthority, type MosquittoInstance, type TokenAuthority } from '@coplay/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { endpointCredentials } from '../auth/endpointCredentials';
import { Button } from '../input/ControllerState';
import { createTokenHandler } from '../server/createTokenHandler';
import { getRequestListener } from '@hono/node-server';
import { hostRoom } from './hostRoom';
import { joinRoom } from './joinRoom';
import { connections, press, until } from './roomTestKit';
import type { GuestRoom, HostRoom } from './types';

const mosquitto = requireTool('mosquitto');
const acl = readFileSync(fileURLToPath(new URL('../../../../docs/mosquitto-acl.conf', import.meta.url)), 'utf8');
const APP = { appId: 'testapp', appClientId: 'client-1', appClientSecret: 'identity-secret-xyz' };

// Issue 10, identity: the broker's ACL pins a guest to topics named after the client id of its
// link (`%c`). The client id comes from credentials at connect time, not from the options.
describe.skipIf(!mosquitto.available)('room topics follow the client id of the live link (mosquitto ACL)', () => {
  let broker: MosquittoInstance;
  let authority: TokenAuthority;
  let server: Server;
  let tokenUrl: string;
  const conns = connections(() => broker.url);
  const rooms: Array<HostRoom | GuestRoom> = [];

  beforeAll(async () => {
    // No password file: mosquitto takes any username, so the ACL's %u and %c come from the token endpoint.
    broker = await startMosquitto({ acl });
    authority = await startTokenAuthority(APP);
    const handler = createTokenHandler({
      apiUrl: authority.apiUrl,
      ...APP,
      authorize: (request) => ({ username: request.headers.get('x-user')! }),
      rateLimit: false,
    });
    const listener = getRequestListener(handler);
    server = createServer((req, res) => void listener(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  });
  afterEach(async () => {
    for (const r of rooms.splice(0)) await r.close();
    await conns.closeAll();
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await authority?.close();
    await broker?.close();
  });

  it('endpointCredentials + createTokenHandler: the guest plays under its assigned deviceId@appId, which the ACL allows', async () => {
    const credentials = (user: string, deviceId: string) =>
      endpointCredentials({ url: tokenUrl, headers: { 'x-user': user }, body: { deviceId } });
    // The options' client ids are placeholders: the token endpoint assigns the real ones.
    const hostConn = conns.open({ clientId: 'placeholder-host', credentials: credentials('idroom', 'hostdev') });
    const host = hostRoom(hostConn, { room: 'idroom' });
    rooms.push(host);
    const guestConn = conns.open({ clientId: 'placeholder-guest', credentials: credentials('alice', 'alice-tab1') });
    const guest = joinRoom(guestConn, { invite: await host.invite, browserEvents: false });
    rooms.push(guest);
    await until(guest.status.value$, (s) => s.status === 'playing');
    expect(guestConn.clientId).toBe('alice-tab1@testapp');
    expect(host.players.value.map((p) => [p.id, p.clientId])).toEqual([['alice-tab1@testapp', 'alice-tab1@testapp']]);
    guest.send(press(1 << Button.A));
    await until(host.input(2).value$, (s) => s.buttons === 1 << Button.A);
  });

  it('a client id that changes under a live room re-announces the guest under its new id, in the same slot', async () => {
    const host = hostRoom(conns.open({ clientId: 'idroom2-host', credentials: { username: 'idroom2' } }), { room: 'idroom2' });
    rooms.push(host);
    let device = 1;
    const guestConn = conns.open({ clientId: 'placeholder', credentials: () => ({ username: 'bob', clientId: `bob-${device}` }) });
    const guest = joinRoom(guestConn, { invite: await host.invite, browserEvents: false });
    rooms.push(guest);
    await until(guest.status.value$, (s) => s.status === 'playing');
    expect(host.players.value.map((p) => p.id)).toEqual(['bob-1']);
    guest.send(press(1 << Button.B));
    await until(host.input(2).value$, (s) => s.buttons === 1 << Button.B);

    device = 2;
    guestConn.reconnect();
    await until(host.players.value$, (ps) => ps[0]?.id === 'bob-2' && ps[0].status === 'playing');
    await until(guest.status.value$, (s) => s.status === 'playing');
    expect(guest.status.value).toEqual({ status: 'playing', slot: 2 });
    expect(host.players.value.map((p) => [p.id, p.status])).toEqual([['bob-2', 'playing']]);
    guest.send(press(1 << Button.X));
    await until(host.input(2).value$, (s) => s.buttons === 1 << Button.X);
  });
});
