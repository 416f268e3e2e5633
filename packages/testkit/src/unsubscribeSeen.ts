import type { BrokerEvent, EmbeddedBroker } from './startBroker';

/** Resolves when `broker` has seen client `clientId` UNSUBSCRIBE from `filter` (already or within 5 s). */
export const unsubscribeSeen = (broker: EmbeddedBroker, clientId: string, filter: string): Promise<BrokerEvent> =>
  broker.waitFor((e) => e.type === 'unsubscribe' && e.clientId === clientId && e.filters!.includes(filter), 5000);
