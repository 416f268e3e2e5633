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
    // Control messages are JSON, after a 16-byte tag in an authenticated room (PROTOCOL.md).
    for (const body of [e.payload, e.payload.subarray(16)]) {
      try {
        const t = (JSON.parse(body.toString()) as { t?: unknown }).t;
        if (t === 'leave' || t === 'closed') seen.push(String(t));
        break;
      } catch {
        // binary input frames, or a tagged message
      }
    }
  }
  return seen;
}
