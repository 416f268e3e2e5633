import type { Observable } from 'rxjs';
import { useStore } from './useStore';

/** Names `x` of an object's value pairs: an `x$` observable next to a synchronous `x` (coplay's convention). */
export type ValueKey<O> = {
  [K in keyof O & string]: `${K}$` extends keyof O ? (O[`${K}$`] extends Observable<O[K]> ? K : never) : never;
}[keyof O & string];

/**
 * Reads any coplay value pair, re-rendering on change: `useValue(guest, 'status')` reads
 * `guest.status` and follows `guest.status$`. While `owner` is `undefined` (a room that is not
 * open yet), returns `fallback`.
 *
 * @example
 * const status = useValue(guest, 'status', { status: 'joining' });
 */
export function useValue<O extends object, K extends ValueKey<O>>(owner: O, key: K): O[K];
export function useValue<O extends object, K extends ValueKey<O>, F>(owner: O | undefined, key: K, fallback: F): O[K] | F;
export function useValue<O extends object, K extends ValueKey<O>, F>(owner: O | undefined, key: K, fallback?: F): O[K] | F {
  return useStore(
    owner?.[`${key}$` as keyof O] as Observable<O[K]> | undefined,
    () => (owner ? owner[key] : (fallback as F)),
  );
}
