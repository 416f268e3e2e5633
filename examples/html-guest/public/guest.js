// Joins the room of the invite in the page's address (#r=<room>&k=<host key>) as a guest, and sends the
// keyboard and the on-screen buttons as one controller.
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

const guest = joinRoom(connection, { invite: location.hash.slice(1), name: 'HTML guest' });

guest.status.value$.subscribe((s) => {
  const why = s.error?.message ?? s.reason;
  statusText.textContent = s.status === 'playing' ? `playing as P${s.slot}` : why ? `${s.status}: ${why}` : s.status;
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
window.addEventListener('pagehide', () => void guest.close());
