import type { QueueStats } from '@coplay/core';
import type { ShallowRef } from 'vue';
import { useConnection } from './useConnection';
import { useLive } from './useLive';

/** The offline send queue's statistics as a readonly shallow ref. */
export function useQueueStats(): Readonly<ShallowRef<QueueStats>> {
  return useLive(useConnection().queue);
}
