import type { Observable } from 'rxjs';
import { NEVER } from 'rxjs';
import { toValue, type MaybeRefOrGetter, type ShallowRef } from 'vue';
import { useStream } from './useStream';

/** Names `x` of an object's value pairs: an `x$` observable next to a synchronous `x` (coplay's convention). */
export type ValueKey<O> = {
  [K in keyof O & string]: `${K}$` extends keyof O ? (O[`${K}$`] extends Observable<O[K]> ? K : never) : never;
}[keyof O & string];

/**
 * Reads any coplay value pair as a readonly shallow ref: `useValue(guest, 'status')` reads
 * `guest.status` and follows `guest.status$` until the effect scope ends. `owner` may be a ref or
 * getter (such as the ref `useGuestRoom` returns); while it is `undefined` the ref holds `fallback`.
 *
 * @example
 * const status = useValue(guest, 'status', { status: 'joining' });
 */
export function useValue<O extends object, K extends ValueKey<O>>(owner: MaybeRefOrGetter<O>, key: K): Readonly<ShallowRef<O[K]>>;
export function useValue<O extends object, K extends ValueKey<O>, F>(
  owner: MaybeRefOrGetter<O | undefined>,
  key: K,
  fallback: F,
): Readonly<ShallowRef<O[K] | F>>;
export function useValue<O extends object, K extends ValueKey<O>, F>(
  owner: MaybeRefOrGetter<O | undefined>,
  key: K,
  fallback?: F,
): Readonly<ShallowRef<O[K] | F>> {
  return useStream<O | undefined, O[K] | F>(
    () => toValue(owner),
    (o) => (o ? [o[`${key}$` as keyof O] as Observable<O[K]>, () => o[key]] : [NEVER, () => fallback as F]),
  );
}
