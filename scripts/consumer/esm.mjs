// Imports every published entry point as ESM from the installed tarballs and uses it a little.
import assert from 'node:assert/strict';
import { CoplayError, createConnection, isCoplayError } from '@coplay/core';
import { createTokenHandler } from '@coplay/core/server';
import { CoplayProvider, useConnection } from '@coplay/react';
import { CoplayPlugin, useConnection as useVueConnection } from '@coplay/vue';

assert.equal(typeof CoplayProvider, 'function');
assert.equal(typeof useConnection, 'function');
assert.equal(typeof CoplayPlugin.install, 'function');
assert.equal(typeof useVueConnection, 'function');

const connection = createConnection({ url: 'mqtt://127.0.0.1:1', autoConnect: false });
assert.equal(connection.state.value.status, 'idle');
await connection.close();
assert.throws(() => createConnection({ url: 'http://nope' }), (e) => e instanceof CoplayError && isCoplayError(e, 'INVALID_URL'));

const handler = createTokenHandler({
  apiUrl: 'http://127.0.0.1:1/app', appId: 'app', appClientId: 'id', appClientSecret: 'secret',
  authorize: () => false,
});
const response = await handler(new Request('http://localhost/api/coplay-token', { method: 'GET' }));
assert.equal(response.status, 405);
console.log('ESM: @coplay/core, @coplay/core/server, @coplay/react, @coplay/vue import and run');
