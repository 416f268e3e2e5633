import { createConnection, joinRoom, keyboardInput } from '@coplay/core';
import { now, params } from './page';

const firstInputAt: { t?: number } = {};
const conn = createConnection({ url: params.get('url')!, clientId: params.get('id')! });
// The invite travels in the fragment, as in a share link.
const guest = joinRoom(conn, { invite: location.hash.slice(1), browserEvents: false });
const keys = keyboardInput(window);
guest.attach(keys.state$);
const keydowns: number[] = [];
// Capture phase on window: the first script to see the event; its timeStamp is when the browser made it.
const handled: number[] = [];
window.addEventListener('keydown', (e) => {
  keydowns.push(performance.timeOrigin + e.timeStamp);
  handled.push(now());
}, { capture: true });
let status = 'joining';
guest.status.value$.subscribe((s) => {
  status = s.status;
  if (s.status === 'playing' && firstInputAt.t === undefined) firstInputAt.t = now();
});
Object.assign(window, { __bench: { keydowns, handled, status: () => status, playingAt: () => firstInputAt.t } });
