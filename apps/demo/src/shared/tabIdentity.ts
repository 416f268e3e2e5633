/** Characters Easemob accepts in usernames and device ids. */
const SAFE = /^[A-Za-z0-9_-]{1,32}$/;

function randomId(length: number): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * A device id per browser tab, kept across reloads of that tab (sessionStorage). Two tabs must
 * not share one: the same MQTT client id would make the broker kick the other tab.
 */
export function tabDeviceId(role: 'host' | 'guest', storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = globalThis.sessionStorage): string {
  const key = `coplay-demo-device-${role}`;
  const saved = storage?.getItem(key);
  if (saved && SAFE.test(saved)) return saved;
  const id = `${role}-${randomId(8)}`;
  storage?.setItem(key, id);
  return id;
}

/** The room id from `?room=`, or undefined if absent or unsafe for a topic. */
export function roomFromUrl(href: string = location.href): string | undefined {
  const room = new URL(href).searchParams.get('room') ?? '';
  return SAFE.test(room) ? room : undefined;
}

/** A fresh room id. */
export function newRoomId(): string {
  return randomId(8);
}
