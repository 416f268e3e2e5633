// A consumer's TypeScript file, type-checked against the installed tarballs' declarations.
import { createConnection, isCoplayError, type Connection, type CoplayErrorCode } from '@coplay/core';
import { createTokenHandler, type TokenHandler } from '@coplay/core/server';
import { CoplayProvider, useConnection } from '@coplay/react';
import { CoplayPlugin, useConnection as useVueConnection } from '@coplay/vue';
import { createElement } from 'react';
import { createApp } from 'vue';

export const connection: Connection = createConnection({ url: 'wss://broker.example/mqtt', autoConnect: false });
export const code: CoplayErrorCode = 'INVALID_URL';
export const known = (e: unknown): boolean => isCoplayError(e, code);
export const handler: TokenHandler = createTokenHandler({
  apiUrl: 'https://api.example/app/abc',
  appId: 'abc',
  appClientId: 'id',
  appClientSecret: 'secret',
  authorize: async (request) => (request.headers.get('cookie') ? { username: 'ana' } : false),
});
export const response: Promise<Response> = handler(new Request('https://app.example/api/coplay-token'));
export const element = createElement(CoplayProvider, { connection });
export const useIt = (): Connection => useConnection();
export const app = createApp({ setup: () => ({ connection: useVueConnection() }) }).use(CoplayPlugin, { connection });
// @ts-expect-error: a connection needs a url
createConnection({});
