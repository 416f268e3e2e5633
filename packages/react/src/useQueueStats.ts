import type { QueueStats } from '@coplay/core';
import { useConnection } from './useConnection';
import { useLive } from './useLive';

/** The offline send queue's statistics (depth, bytes, dropped, expired, coalesced, flushed). */
export function useQueueStats(): QueueStats {
  return useLive(useConnection().queue);
}
