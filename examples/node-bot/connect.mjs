// One connection per program. Host and bot are trusted programs (they run on your machine, not in a
// visitor's browser), so they may hold the app secret and fetch their own tokens with
// easemobCredentials. The defaults are `npm run examples:services`; set the variables for a real app.
import { parseArgs } from 'node:util';
import { createConnection, easemobCredentials } from '@coplay/core';

const env = process.env;

/** `--room <id>` (host, default `example`), `--invite <what the host printed>` (bot) and `--name <name>`. */
export const args = parseArgs({
  options: { room: { type: 'string', default: 'example' }, invite: { type: 'string' }, name: { type: 'string' } },
}).values;

/** A connection for `username`, connected to the example broker (or COPLAY_BROKER_URL). */
export function connect(username, will) {
  const appId = env.EASEMOB_APP_ID ?? 'coplaydev';
  const deviceId = `${username}${Math.random().toString(36).slice(2, 8)}`;
  const credentials = easemobCredentials({
    apiUrl: env.EASEMOB_API_URL ?? `http://127.0.0.1:18832/app/${appId}`,
    appId,
    appClientId: env.EASEMOB_CLIENT_ID ?? 'local-client',
    appClientSecret: env.EASEMOB_CLIENT_SECRET ?? 'local-dev-secret',
    username,
    deviceId,
  });
  return createConnection({
    url: env.COPLAY_BROKER_URL ?? 'mqtt://127.0.0.1:18830',
    clientId: `${deviceId}@${appId}`,
    credentials,
    will: will?.(`${deviceId}@${appId}`),
  });
}
