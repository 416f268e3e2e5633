import { inspect } from 'node:util';

/** What {@link firstMatch} needs of an RxJS Observable (the test kit does not depend on rxjs). */
export interface Subscribable<T> {
  subscribe(observer: { next: (value: T) => void; error: (err: unknown) => void; complete: () => void }): {
    unsubscribe(): void;
  };
}

/**
 * Resolves with the first value of `source` that passes `predicate` (a replaying source's current
 * value counts). Rejects, naming `what` and the last value seen, if `source` errors, completes or
 * stays unmatched for `timeoutMs`.
 */
export function firstMatch<T>(source: Subscribable<T>, predicate: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let last = 'nothing';
    let settled = false;
    // Set once subscribe() returns: a replaying source may match inside it.
    let unsubscribe = () => {};
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe();
      finish();
    };
    const fail = (why: string) => settle(() => reject(new Error(`${what}: ${why} (last value: ${last})`)));
    const timer = setTimeout(() => fail(`no match within ${timeoutMs} ms`), timeoutMs);
    const subscription = source.subscribe({
      next: (value) => {
        last = inspect(value, { depth: 2, breakLength: Infinity });
        if (predicate(value)) settle(() => resolve(value));
      },
      error: (err) => settle(() => reject(err)),
      complete: () => fail('completed without a match'),
    });
    unsubscribe = () => subscription.unsubscribe();
    if (settled) unsubscribe();
  });
}
