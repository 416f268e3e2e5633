import type { Connection } from '../connection/types';

const pending = new WeakMap<Connection, Set<Promise<unknown>>>();

function hold(connection: Connection, goodbye: Promise<unknown>): void {
  let set = pending.get(connection);
  if (!set) pending.set(connection, (set = new Set()));
  const entry: Promise<unknown> = goodbye.then(
    () => set.delete(entry),
    () => set.delete(entry),
  );
  set.add(entry);
}

/**
 * Orders the goodbyes of UI adapters (`@coplay/react`, `@coplay/vue`): a room closed by a
 * component says goodbye (leave or close message, retained presence cleared) before the
 * connection the provider owns closes, whatever order the framework tears components down in.
 */
export const goodbyes = {
  /** Counts `goodbye` (a room's `close()`) as pending on `connection` until it settles. */
  track(connection: Connection, goodbye: PromiseLike<unknown>): void {
    hold(connection, Promise.resolve(goodbye));
  },

  /**
   * Runs `close` on the next task unless the returned function cancels it first (React
   * StrictMode's unmount and immediate remount). From now until `close` settles, it counts as
   * pending on `connection` (when given).
   */
  later(close: () => unknown, connection?: Connection): () => void {
    let settle!: () => void;
    const done = new Promise<void>((resolve) => (settle = resolve));
    if (connection) hold(connection, done);
    const timer = setTimeout(() => {
      Promise.resolve()
        .then(close)
        .catch(() => {})
        .finally(settle);
    });
    return () => {
      clearTimeout(timer);
      settle();
    };
  },

  /**
   * Closes `connection` once nothing is pending on it (goodbyes added while waiting included):
   * how a provider closes the connection it owns.
   */
  async closeLast(connection: Connection): Promise<void> {
    for (let set = pending.get(connection); set?.size; set = pending.get(connection)) await Promise.all(set);
    await connection.close();
  },
};
