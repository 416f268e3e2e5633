/* global console, process */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS consumer */
// The same through require(): the CommonJS builds.
const assert = require('node:assert/strict');
const { CoplayError, createConnection, isCoplayError } = require('@coplay/core');
const { createTokenHandler } = require('@coplay/core/server');
const { CoplayProvider } = require('@coplay/react');
const { CoplayPlugin } = require('@coplay/vue');

assert.equal(typeof CoplayProvider, 'function');
assert.equal(typeof CoplayPlugin.install, 'function');
assert.throws(() => createConnection({ url: 'http://nope' }), (e) => e instanceof CoplayError && isCoplayError(e, 'INVALID_URL'));

(async () => {
  const connection = createConnection({ url: 'mqtt://127.0.0.1:1', autoConnect: false });
  await connection.close();
  const handler = createTokenHandler({
    apiUrl: 'http://127.0.0.1:1/app', appId: 'app', appClientId: 'id', appClientSecret: 'secret',
    authorize: () => false,
  });
  const response = await handler(new Request('http://localhost/api/coplay-token', { method: 'GET' }));
  assert.equal(response.status, 405);
  console.log('CJS: @coplay/core, @coplay/core/server, @coplay/react, @coplay/vue require and run');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
