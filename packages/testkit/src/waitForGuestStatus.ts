import type { GuestRoom, GuestStatus } from '@coplay/core';
import { firstMatch } from './firstMatch';

/**
 * Resolves once `guest`'s status is `status`. Checks the value first: `status.value$` completes
 * after `closed`, so a late subscriber would never see it.
 */
export async function waitForGuestStatus(guest: GuestRoom, status: GuestStatus['status'], timeoutMs = 10_000): Promise<void> {
  if (guest.status.value.status === status) return;
  await firstMatch<GuestStatus>(guest.status.value$, (s) => s.status === status, timeoutMs, `guest status ${status}`);
}
