import type { QueueStats } from '@coplay/core';
import { useMemo } from 'react';
import { livePair } from './livePair';
import { useConnection } from './useConnection';
import { useLive } from './useLive';

/** The offline send queue's statistics (depth, bytes, dropped, expired, coalesced, flushed). */
export function useQueueStats(): QueueStats {
  const connection = useConnection();
  return useLive(useMemo(() => livePair(connection.queue$, () => connection.queueStats), [connection]));
}
