// Server-only: the Easemob app secret lives here and in the environment, never in a client bundle.
import { createTokenHandler } from '@coplay/core/server';

const env = process.env;
const appId = env.EASEMOB_APP_ID ?? 'coplaydev';

/** `POST { deviceId }` → `{ username, password, clientId, expiresAt, expiresIn }` for this visitor. */
export const tokenHandler = createTokenHandler({
  apiUrl: env.EASEMOB_API_URL ?? `http://127.0.0.1:18832/app/${appId}`,
  appId,
  appClientId: env.EASEMOB_CLIENT_ID ?? 'local-client',
  appClientSecret: env.EASEMOB_CLIENT_SECRET ?? 'local-dev-secret',
  // A real app asks its session who is calling (cookies(), a bearer token...); here every visitor is a guest.
  authorize: (_request, body) => ({ username: `guest_${body.deviceId ?? 'anon'}` }),
});
