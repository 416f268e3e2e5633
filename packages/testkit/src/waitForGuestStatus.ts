import type { GuestRoom, GuestStatus } from '@coplay/core';
import { filter, firstValueFrom, timeout } from 'rxjs';

/**
 * Resolves once `guest`'s status is `status`; rejects after `timeoutMs`. Checks the value first:
 * `status.value$` completes after `closed`, so a late subscriber would never see it.
 */
export async function waitForGuestStatus(guest: GuestRoom, status: GuestStatus['status'], timeoutMs = 10_000): Promise<void> {
  if (guest.status.value.status === status) return;
  await firstValueFrom(guest.status.value$.pipe(filter((s) => s.status === status), timeout(timeoutMs)));
}
