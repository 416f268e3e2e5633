/**
 * `npm run examples:services` (repository root): what a hosted Easemob MQTT app gives you, on this
 * machine, for the examples: an MQTT broker (TCP + WebSocket) that accepts only valid user tokens, and
 * an Easemob-compatible token REST API. Fixed loopback ports, so the examples' defaults find them;
 * override with the variables below. Ctrl-C stops both.
 */
import { startBroker, startTokenAuthority } from '@coplay/testkit';

const LOCAL = {
  appId: process.env.EASEMOB_APP_ID ?? 'coplaydev',
  appClientId: process.env.EASEMOB_CLIENT_ID ?? 'local-client',
  // A development value for a server on loopback, never a real secret.
  appClientSecret: process.env.EASEMOB_CLIENT_SECRET ?? 'local-dev-secret',
  brokerPort: Number(process.env.COPLAY_BROKER_PORT ?? 18830),
  brokerWsPort: Number(process.env.COPLAY_BROKER_WS_PORT ?? 18831),
  apiPort: Number(process.env.COPLAY_API_PORT ?? 18832),
};

const authority = await startTokenAuthority({ ...LOCAL, port: LOCAL.apiPort });
const broker = await startBroker({
  ws: true,
  port: LOCAL.brokerPort,
  wsPort: LOCAL.brokerWsPort,
  record: false,
  authenticate: authority.authenticate,
});

console.log(`
  coplay example services are running

  EASEMOB_API_URL=${authority.apiUrl}
  EASEMOB_APP_ID=${LOCAL.appId}
  EASEMOB_CLIENT_ID=${LOCAL.appClientId}
  EASEMOB_CLIENT_SECRET=${LOCAL.appClientSecret}
  COPLAY_BROKER_URL=${broker.url}
  COPLAY_BROKER_WS_URL=${broker.wsUrl}/mqtt

  (these are the examples' defaults)  Ctrl-C stops.
`);

const stop = async () => {
  await Promise.allSettled([broker.close(), authority.close()]);
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
