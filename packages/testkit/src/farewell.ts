import type { BrokerEvent } from './startBroker';

/**
 * What the broker saw of `clientId` saying goodbye, in order: control messages by their `t`
 * (`leave`, `closed`), `cleared <topic>` for each retained message it cleared, and `disconnect` /
 * `dropped` for a clean or unclean end. Other traffic (input frames, joins, pongs) is left out.
 */
export function farewell(events: readonly BrokerEvent[], clientId: string): string[] {
  const seen: string[] = [];
  for (const e of events) {
    if (e.clientId !== clientId) continue;
    if (e.type === 'disconnect') seen.push(e.clean ? 'disconnect' : 'dropped');
    if (e.type !== 'publish' || !e.payload) continue;
    if (e.retain && e.payload.length === 0) {
      seen.push(`cleared ${e.topic}`);
      continue;
    }
    try {
      const t = (JSON.parse(e.payload.toString()) as { t?: unknown }).t;
      if (t === 'leave' || t === 'closed') seen.push(String(t));
    } catch {
      // binary input frames
    }
  }
  return seen;
}
