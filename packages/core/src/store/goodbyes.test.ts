import { describe, expect, it, vi } from 'vitest';
import type { Connection } from '../connection/types';
import { goodbyes } from './goodbyes';

/** Only `close()` is used by goodbyes; it records when it ran. */
function connection(log: string[]): Connection {
  return { close: () => (log.push('connection closed'), Promise.resolve()) } as unknown as Connection;
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('goodbyes', () => {
  it('closeLast closes the connection only after every tracked goodbye settled, including ones added while waiting', async () => {
    const log: string[] = [];
    const conn = connection(log);
    const first = deferred();
    const second = deferred();
    goodbyes.track(conn, first.promise.then(() => log.push('room 1 said goodbye')));
    const closing = goodbyes.closeLast(conn);
    goodbyes.track(conn, second.promise.then(() => log.push('room 2 said goodbye')));
    first.resolve();
    await Promise.resolve();
    expect(log).toEqual(['room 1 said goodbye']);
    second.resolve();
    await closing;
    expect(log).toEqual(['room 1 said goodbye', 'room 2 said goodbye', 'connection closed']);
  });

  it('a failed goodbye does not keep the connection open', async () => {
    const log: string[] = [];
    const conn = connection(log);
    goodbyes.track(conn, Promise.reject(new Error('offline')));
    await goodbyes.closeLast(conn);
    expect(log).toEqual(['connection closed']);
  });

  it('later runs the close on the next task unless cancelled, and counts as pending meanwhile', async () => {
    vi.useFakeTimers();
    try {
      const log: string[] = [];
      const conn = connection(log);
      const cancel = goodbyes.later(() => log.push('cancelled room closed'), conn);
      cancel();
      goodbyes.later(() => log.push('room closed'), conn);
      const closing = goodbyes.closeLast(conn);
      await vi.runAllTimersAsync();
      await closing;
      expect(log).toEqual(['room closed', 'connection closed']);
    } finally {
      vi.useRealTimers();
    }
  });
});
