import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Chaos tests need a real GC to tell a leak from garbage not yet collected. Turning the flag on at
// run time and fetching `gc` from a fresh context works in any vitest pool, with no CLI flag.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Test helper: the heap in use (bytes) after letting pending callbacks run and forcing full
 * garbage collections, so two readings differ only by what is still reachable.
 */
export async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    await new Promise((r) => setImmediate(r));
    gc();
  }
  return process.memoryUsage().heapUsed;
}
