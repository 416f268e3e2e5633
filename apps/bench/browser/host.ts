import { createConnection, formatInvite, hostRoom } from '@coplay/core';
import { now, params } from './page';

const conn = createConnection({ url: params.get('url')!, clientId: params.get('id')! });
// Subscribed before the room's own (same filter, one SUBSCRIBE): this runs first on each frame, so it
// stamps the moment coplay's connection dispatches what MQTT.js delivered (room protocol v2 topics).
const dispatches: number[] = [];
conn.topic(`cp/${params.get('room')!}/i/+`).subscribe(() => dispatches.push(now()));
const host = hostRoom(conn, { room: params.get('room')!, maxPlayers: 8 });
const changes: Array<[number, number]> = [];
const others: Array<[number, number, number]> = [];
host.input(2).value$.subscribe((s) => changes.push([now(), s.buttons]));
for (let slot = 3; slot <= 8; slot++) host.input(slot).value$.subscribe((s) => others.push([now(), s.buttons, slot]));
let invite: string | undefined;
void host.invite.then((i) => (invite = formatInvite(i)));
Object.assign(window, { __bench: { changes, others, dispatches, invite: () => invite, ready: true } });
