import type { EmbeddedBroker } from './startBroker';

type AuthorizeSubscribe = (client: unknown, sub: { topic: string }, callback: (err: Error | null, sub: unknown) => void) => void;

/**
 * Makes `broker`'s current Aedes instance refuse SUBSCRIBE to exactly `filter` (SUBACK 0x80) and grant
 * the rest as before. Returns a function that restores it. (A restart makes a new Aedes instance,
 * which grants everything.)
 */
export function refuseSubscribe(broker: EmbeddedBroker, filter: string): () => void {
  const aedes = broker.aedes as unknown as { authorizeSubscribe: AuthorizeSubscribe };
  const original = aedes.authorizeSubscribe;
  aedes.authorizeSubscribe = (client, sub, callback) =>
    sub.topic === filter ? callback(null, null) : original.call(aedes, client, sub, callback);
  return () => {
    aedes.authorizeSubscribe = original;
  };
}
