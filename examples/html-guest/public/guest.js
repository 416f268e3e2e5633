// Joins the room in the page's address (#r=<room>&k=<key>, the host's invite; or ?room=<id> for a room
// opened with `secure: false`) as a guest, and sends keyboard and on-screen buttons as one controller.
import { BehaviorSubject, combineLatest, map } from 'rxjs';
import { Button, NEUTRAL, createConnection, endpointCredentials, joinRoom, keyboardInput, mergeControllers } from '@coplay/core';

const statusText = document.getElementById('status');
const { brokerUrl } = await (await fetch('/config.json')).json();

const deviceId = crypto.randomUUID().replaceAll('-', '').slice(0, 16);
const connection = createConnection({
  url: brokerUrl,
  // The token endpoint answers the client id too (deviceId@appId), as Easemob requires.
  credentials: endpointCredentials({ url: '/api/coplay-token', body: { deviceId } }),
});

const query = new URLSearchParams(location.search);
const invite = location.hash.length > 1 ? location.hash.slice(1) : undefined;
const guest = joinRoom(connection, invite ? { invite, name: 'HTML guest' } : { room: query.get('room') ?? 'example', secure: false, name: 'HTML guest' });

// Room values are Live ({ value, value$ }); older releases had `status$`.
(guest.status.value$ ?? guest.status$).subscribe((s) => {
  statusText.textContent = s.status === 'playing' ? `playing as P${s.slot}` : s.status;
});

// On-screen buttons: held while the pointer is down.
const touch = new BehaviorSubject(NEUTRAL);
for (const el of document.querySelectorAll('[data-button]')) {
  const bit = 1 << Button[el.dataset.button];
  const set = (down) => touch.next({ ...touch.value, buttons: down ? touch.value.buttons | bit : touch.value.buttons & ~bit });
  el.addEventListener('pointerdown', () => set(true));
  for (const type of ['pointerup', 'pointerleave', 'pointercancel']) el.addEventListener(type, () => set(false));
}

const keys = keyboardInput();
guest.attach(combineLatest([keys.state$, touch]).pipe(map(([k, t]) => mergeControllers(k, t))), { hz: 60 });
window.addEventListener('pagehide', () => void (guest.close ?? guest.leave).call(guest));
