import type { QueueStats } from '@coplay/core';
import type { ShallowRef } from 'vue';
import { livePair } from './livePair';
import { useConnection } from './useConnection';
import { useLive } from './useLive';

/** The offline send queue's statistics as a readonly shallow ref. */
export function useQueueStats(): Readonly<ShallowRef<QueueStats>> {
  const connection = useConnection();
  return useLive(livePair(connection.queue$, () => connection.queueStats));
}
