// A bot that joins a room as player 2 and plays a script: each step holds buttons for a while, then lets go.
// `npm run bot -- --invite '<what the host printed>'`; exits when the script is done (it leaves the room first).
import { Button, NEUTRAL, guestWill, joinRoom, parseInvite } from '@coplay/core';
import { filter, firstValueFrom } from 'rxjs';
import { args, connect } from './connect.mjs';

/** [buttons to hold, ms held]; the bot lets go for 150 ms between steps. */
export const SCRIPT = [
  [['RIGHT'], 300],
  [['A'], 150],
  [['LEFT', 'B'], 300],
  [['START'], 150],
];

const name = args.name ?? 'P2 bot';
if (!args.invite) {
  console.error("usage: npm run bot -- --invite '<what the host printed>'");
  process.exit(2);
}
const { room } = parseInvite(args.invite);
const connection = connect('bot', (clientId) => guestWill(room, clientId));
const guest = joinRoom(connection, { invite: args.invite, name });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const seated = await firstValueFrom(guest.status.value$.pipe(filter((s) => s.status !== 'joining' && s.status !== 'waiting')));
if (seated.status !== 'playing') {
  console.error(`could not play: ${seated.status} ${seated.reason ?? seated.error?.message ?? ''}`);
  process.exit(1);
}
console.log(`playing as P${seated.slot} in room "${room}"`);

for (const [buttons, ms] of SCRIPT) {
  console.log(`bot holds ${buttons.join(' + ')} for ${ms} ms`);
  guest.send({ ...NEUTRAL, buttons: buttons.reduce((mask, b) => mask | (1 << Button[b]), 0) });
  await sleep(ms);
  guest.send(NEUTRAL);
  await sleep(150);
}

await guest.close();
await connection.close();
console.log('script done, left the room');
