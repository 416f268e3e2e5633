import { describe, expect, it } from 'vitest';
import { roomKey } from './roomKey';

describe('roomKey', () => {
  it('host: the same for options that differ only outside the identity (id, max players, admission, security)', () => {
    const a = roomKey('host', { room: 'r1', maxPlayers: 2, pingIntervalMs: 1000 });
    expect(roomKey('host', { pingIntervalMs: 5, maxPlayers: 2, room: 'r1' })).toBe(a);
    expect(roomKey('host', { room: 'r1', maxPlayers: 3 })).not.toBe(a);
    expect(roomKey('host', { room: 'r2', maxPlayers: 2 })).not.toBe(a);
    expect(roomKey('host', { room: 'r1', maxPlayers: 2, admission: 'manual' })).not.toBe(a);
    expect(roomKey('host', { room: 'r1', maxPlayers: 2, secure: false })).not.toBe(a);
  });

  it('guest: circular options (browserEvents: { window, document }) and a new name keep the key', () => {
    const win = new EventTarget() as EventTarget & { self?: unknown };
    win.self = win;
    const a = roomKey('guest', { room: 'r1', name: 'ana' });
    expect(roomKey('guest', { room: 'r1', name: 'bo', browserEvents: { window: win, document: new EventTarget() } })).toBe(a);
    expect(roomKey('guest', { room: 'r2' })).not.toBe(a);
    expect(roomKey('host', { room: 'r1' })).not.toBe(roomKey('guest', { room: 'r1' }));
  });
});
