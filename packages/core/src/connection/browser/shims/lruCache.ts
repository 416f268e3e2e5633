/**
 * `lru-cache` for the browser build: MQTT.js keeps its outgoing MQTT 5 topic aliases in one
 * (`topic-alias-send`), using `get`, `set`, `clear`, `keys()` (most recently used first) and `size`.
 * A `Map` in use order does that without lru-cache's ~5 kB gzipped.
 */
export class LRUCache<K, V> {
  readonly max: number;
  readonly #map = new Map<K, V>();

  constructor(options: { max: number }) {
    this.max = options.max;
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    if (!this.#map.has(key)) return undefined;
    const value = this.#map.get(key)!;
    this.#map.delete(key);
    this.#map.set(key, value);
    return value;
  }

  set(key: K, value: V): this {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.max) this.#map.delete(this.#map.keys().next().value!);
    return this;
  }

  clear(): void {
    this.#map.clear();
  }

  /** Most recently used first, as lru-cache orders them. */
  *keys(): IterableIterator<K> {
    yield* [...this.#map.keys()].reverse();
  }
}
