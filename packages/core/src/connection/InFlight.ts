import type { QueuedMessage } from './SendQueue';

/**
 * The messages handed to the socket and not yet confirmed (QoS 0: written; QoS 1/2: acknowledged).
 * Each send gets a ticket, so a late callback from a link that is already gone cannot settle a
 * message that was queued again and sent on a newer link.
 */
export class InFlight {
  private readonly items = new Map<QueuedMessage, number>();
  private tickets = 0;

  /** Messages in flight. */
  get size(): number {
    return this.items.size;
  }

  /** Records a send; returns its ticket. */
  add(message: QueuedMessage): number {
    const ticket = ++this.tickets;
    this.items.set(message, ticket);
    return ticket;
  }

  /** Removes the message if `ticket` is its current send; `false` means the callback is stale. */
  settle(message: QueuedMessage, ticket: number): boolean {
    if (this.items.get(message) !== ticket) return false;
    this.items.delete(message);
    return true;
  }

  /** Removes and returns every message in flight, in publish order. */
  takeAll(): QueuedMessage[] {
    const all = [...this.items.keys()].sort((a, b) => a.seq - b.seq);
    this.items.clear();
    return all;
  }
}
