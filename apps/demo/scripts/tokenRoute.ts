import { getRequestListener } from '@hono/node-server';
import { createTokenHandler, type TokenRequestBody } from '@coplay/core/server';
import type { NodeHandler } from './apiServer';
import type { EasemobSettings } from './demoConfig';

/** Names the demo accepts: what Easemob accepts as a username, kept short for the player list. */
const NAME = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * The demo's identity check: a player name from the JSON body (`{ name }`) or the query
 * (`?name=`), validated. A real app decides here from its own session (cookie, bearer token)
 * and never trusts a name the browser picked.
 */
export function demoAuthorize(request: Request, body: TokenRequestBody): { username: string } | false {
  const fromBody = typeof body.name === 'string' ? body.name : undefined;
  const name = fromBody ?? new URL(request.url).searchParams.get('name') ?? undefined;
  return name !== undefined && NAME.test(name) ? { username: name } : false;
}

/**
 * `POST /api/token`: mints a user token with the app secret, which stays in this process.
 * Answers `{ username, password, clientId, expiresAt, expiresIn }` for `endpointCredentials`.
 */
export function createDemoTokenRoute(settings: EasemobSettings): NodeHandler {
  const handler = createTokenHandler({
    ...settings,
    authorize: demoAuthorize,
    tokenTtlSeconds: 3600,
    onError: (e) => console.warn('[coplay demo] token request failed:', e instanceof Error ? e.message : e),
  });
  // The handler refuses bodies over its own limit (4 KiB) while reading them.
  return getRequestListener(handler);
}
