import { describe, expect, it } from 'vitest';
import { newRoomId, roomFromUrl, tabDeviceId } from './tabIdentity';

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
}

describe('tabDeviceId', () => {
  it('is stable within a tab and differs between tabs and roles', () => {
    const tab1 = memoryStorage();
    const a = tabDeviceId('guest', tab1);
    expect(a).toMatch(/^guest-[a-z2-9]{8}$/);
    expect(tabDeviceId('guest', tab1)).toBe(a);
    expect(tabDeviceId('guest', memoryStorage())).not.toBe(a);
    expect(tabDeviceId('host', tab1)).toMatch(/^host-/);
  });
  it('replaces a tampered stored id', () => {
    const tab = memoryStorage();
    tab.setItem('coplay-demo-device-guest', 'bad/id#');
    expect(tabDeviceId('guest', tab)).toMatch(/^guest-[a-z2-9]{8}$/);
  });
});

describe('roomFromUrl', () => {
  it('reads a safe ?room= and ignores anything else', () => {
    expect(roomFromUrl('http://x/guest.html?room=abc123')).toBe('abc123');
    expect(roomFromUrl('http://x/guest.html')).toBeUndefined();
    expect(roomFromUrl('http://x/guest.html?room=a%2Fb')).toBeUndefined();
    expect(roomFromUrl('http://x/guest.html?room=%23')).toBeUndefined();
    expect(roomFromUrl(`http://x/?room=${'a'.repeat(33)}`)).toBeUndefined();
  });
  it('new room ids are valid room ids', () => {
    const id = newRoomId();
    expect(roomFromUrl(`http://x/?room=${id}`)).toBe(id);
  });
});
