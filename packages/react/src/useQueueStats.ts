import type { QueueStats } from '@coplay/core';
import { useConnection } from './useConnection';
import { useStore } from './useStore';

/** The offline send queue's statistics (depth, bytes, dropped, expired, coalesced, flushed). */
export function useQueueStats(): QueueStats {
  const connection = useConnection();
  return useStore(connection.queue$, () => connection.queueStats);
}
