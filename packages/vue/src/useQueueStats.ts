import type { QueueStats } from '@coplay/core';
import type { ShallowRef } from 'vue';
import { useConnection } from './useConnection';
import { useStream } from './useStream';

/** The offline send queue's statistics as a readonly shallow ref. */
export function useQueueStats(): Readonly<ShallowRef<QueueStats>> {
  const connection = useConnection();
  return useStream(() => connection, (c) => [c.queue$, () => c.queueStats]);
}
