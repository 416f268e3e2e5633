/** examples/node-bot as its README runs it: `npm run host`, then `npm run bot`, against local services. */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawnIn, startServices, type ExampleServices } from '../testing';

const dir = fileURLToPath(new URL('.', import.meta.url));
let services: ExampleServices;

beforeAll(async () => {
  services = await startServices();
});
afterAll(() => services?.close());

it('the bot plays its script as P2 and the Node host reads every press and release', async () => {
  const host = spawnIn(dir, 'node', ['host.mjs', '--room', 'botroom'], services.env) // = npm run host; node itself so the exit code is the host's;
  try {
    // The command the host prints for the bot, with the room's invite.
    const [, invite] = await host.waitFor(/npm run bot -- --invite '([^']+)'/);
    const bot = spawnIn(dir, 'npm', ['run', 'bot', '--', '--invite', invite!], services.env);
    expect(await bot.exited, bot.output()).toBe(0);
    expect(bot.output()).toContain('playing as P2 in room "botroom"');
    await host.waitFor(/P2 \(P2 bot\): left/);
    const presses = host.output().split('\n').filter((l) => /^P2 (presses|releases)/.test(l));
    // LEFT + B go down in one frame and up in one frame; the host prints them in button order.
    expect(presses).toEqual([
      'P2 presses RIGHT', 'P2 releases RIGHT',
      'P2 presses A', 'P2 releases A',
      'P2 presses B', 'P2 presses LEFT', 'P2 releases B', 'P2 releases LEFT',
      'P2 presses START', 'P2 releases START',
    ]);
    // The broker only let them in with tokens from the authority, fetched by easemobCredentials.
    expect(services.authority.counts.userToken).toBeGreaterThanOrEqual(2);
  } finally {
    expect(await host.stop('SIGTERM')).toBe(0);
  }
});
