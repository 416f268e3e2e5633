import type { Connection } from '@coplay/core';
import type { Observable } from 'rxjs';
import { filter, firstValueFrom } from 'rxjs';

export async function until<T>(obs: Observable<T>, test: (v: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      firstValueFrom(obs.pipe(filter(test))),
      new Promise<T>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`bench: timed out waiting for ${what}`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export const connected = (c: Connection) => until(c.state.value$, (s) => s.status === 'connected', 'connection');
