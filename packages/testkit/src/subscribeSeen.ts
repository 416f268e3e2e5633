import type { BrokerEvent, EmbeddedBroker } from './startBroker';

/** Resolves when `broker` has seen client `clientId` SUBSCRIBE to `filter` (already or within 5 s). */
export const subscribeSeen = (broker: EmbeddedBroker, clientId: string, filter: string): Promise<BrokerEvent> =>
  broker.waitFor((e) => e.type === 'subscribe' && e.clientId === clientId && e.filters!.includes(filter), 5000);
