import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requireTool, startBroker, startMosquitto } from '@coplay/testkit';
import { describe, it } from 'vitest';
import { attackSuite } from './attackSuite';

// Issue 11: on a broker with no ACL at all, an attacker with its own broker access, the public
// invite and a view of every message can neither move, kick nor impersonate anyone.
describe('authenticated rooms under attack', () => {
  it('on Aedes without any ACL: every forgery is counted and dropped, the real players keep playing', async () => {
    const broker = await startBroker();
    try {
      await attackSuite({ url: broker.url, room: 'open1', credentials: () => undefined, delivered: true });
    } finally {
      await broker.close();
    }
  }, 60_000);

  const mosquitto = requireTool('mosquitto');
  it.skipIf(!mosquitto.available)('on mosquitto with the ACL recipe: the same attacks change nothing', async () => {
    const acl = readFileSync(fileURLToPath(new URL('../../../../docs/mosquitto-acl.conf', import.meta.url)), 'utf8');
    const users = { acl1: 'host-secret', alice: 'alice-secret', bob: 'bob-secret', mallory: 'mallory-secret' };
    const broker = await startMosquitto({ acl, users, allowAnonymous: false });
    try {
      await attackSuite({
        url: broker.url,
        room: 'acl1',
        credentials: (who) => ({ username: who === 'host' ? 'acl1' : who, password: users[who === 'host' ? 'acl1' : who] }),
        delivered: false,
      });
    } finally {
      await broker.close();
    }
  }, 60_000);
});
