// A game host with no browser: opens a room and prints what player 2 presses, as a game would read it.
// `npm run host -- --room example`; Ctrl-C closes the room (guests see it closed) and exits.
import * as core from '@coplay/core';
import { ALL_BUTTONS, Button, hostRoom, hostWill } from '@coplay/core';
import { args, connect } from './connect.mjs';

const connection = connect('host', () => hostWill(args.room));
const host = hostRoom(connection, { room: args.room, maxPlayers: 2 });
const names = Object.keys(Button);

// Room values are Live ({ value, value$ }) or, in older releases, `x$` observables; read either.
const input$ = (slot) => host.input$?.(slot) ?? host.input(slot).value$;
const players$ = host.players$ ?? host.players.value$;

let held = 0;
input$(2).subscribe((pad) => {
  const changed = (pad.buttons ^ held) & ALL_BUTTONS;
  for (let i = 0; i < names.length; i++) {
    if (changed & (1 << i)) console.log(`P2 ${pad.buttons & (1 << i) ? 'presses' : 'releases'} ${names[i]}`);
  }
  held = pad.buttons;
});

const seen = new Map();
players$.subscribe((players) => {
  for (const p of players) {
    if (seen.get(p.slot) !== p.status) console.log(`P${p.slot} (${p.name || p.id}): ${p.status}`);
    seen.set(p.slot, p.status);
  }
});

// The invite (room protocol v2) carries the host's public key, so guests can tell the real host from an
// impostor on the broker; share it in a link's fragment. (v1 rooms are joined by id.)
const invite = host.invite ? core.formatInvite(await host.invite) : undefined;
const botArgs = invite ? `--invite '${invite}'` : `--room ${args.room}`;
console.log(`hosting room "${args.room}"
  P2 bot:     npm run bot -- ${botArgs}
  guest page: http://127.0.0.1:8080/${invite ? `#${invite}` : `?room=${args.room}`}`);

const stop = async () => {
  await host.close();
  await connection.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
