// One Aedes node that shares subscriptions, sessions, retained messages and wills with its peers through
// Redis (mqemitter-redis + aedes-persistence-redis). startAedesCluster runs each node in its own process,
// so killing one is a real crash. Usage: node aedesRedisNode.mjs <mqttPort> <redisPort> <nodeId> <heartbeatMs>
import { createServer } from 'node:net';
import { Readable } from 'node:stream';
import { Aedes } from 'aedes';
import mqemitterRedis from 'mqemitter-redis';
import AsyncRedisPersistence from 'aedes-persistence-redis/asyncPersistence.js';

// Aedes 1.2 pipes the retained-message source; this persistence yields an async iterable.
class Persistence extends AsyncRedisPersistence {
  createRetainedStreamCombi(patterns) {
    return Readable.from(super.createRetainedStreamCombi(patterns));
  }
}

const [port, redisPort, id, heartbeatMs] = process.argv.slice(2);
const redis = { host: '127.0.0.1', port: Number(redisPort) };
const broker = await Aedes.createBroker({
  id,
  // Each gets its own options object: mqemitter-redis writes into the one it is given.
  mq: mqemitterRedis({ ...redis }),
  persistence: new Persistence({ ...redis }),
  // A crashed peer's wills are published once its heartbeat is 3 intervals old (checked every 4).
  heartbeatInterval: Number(heartbeatMs),
});
const server = createServer((socket) => {
  // Input frames are tiny: send at once rather than Nagle-batch them.
  socket.setNoDelay(true);
  broker.handle(socket);
});
server.listen(Number(port), '127.0.0.1', () => console.log(`aedes node ${id} ready on ${port}`));
const stop = () => server.close(() => broker.close(() => process.exit(0)));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
