// A game host with no browser: opens a room and prints what player 2 presses, as a game would read it.
// `npm run host -- --room example`; Ctrl-C closes the room (guests see it closed) and exits.
import { ALL_BUTTONS, Button, formatInvite, hostRoom, hostWill } from '@coplay/core';
import { args, connect } from './connect.mjs';

const connection = connect('host', () => hostWill(args.room));
const host = hostRoom(connection, { room: args.room, maxPlayers: 2 });
const names = Object.keys(Button);

// Room values are Live: `.value` now (a game loop reads `host.input(2).value` every tick), `.value$` for changes.
let held = 0;
host.input(2).value$.subscribe((pad) => {
  const changed = (pad.buttons ^ held) & ALL_BUTTONS;
  for (let i = 0; i < names.length; i++) {
    if (changed & (1 << i)) console.log(`P2 ${pad.buttons & (1 << i) ? 'presses' : 'releases'} ${names[i]}`);
  }
  held = pad.buttons;
});

const seen = new Map();
host.players.value$.subscribe((players) => {
  for (const p of players) {
    if (seen.get(p.slot) !== p.status) console.log(`P${p.slot} (${p.name || p.id}): ${p.status}`);
    seen.set(p.slot, p.status);
  }
});

// The invite carries the host's public key, so guests can tell the real host from an impostor on the
// broker; share it in a link's fragment.
const invite = formatInvite(await host.invite);
console.log(`hosting room "${args.room}"
  P2 bot:     npm run bot -- --invite '${invite}'
  guest page: http://127.0.0.1:8080/#${invite}`);

const stop = async () => {
  await host.close();
  await connection.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
