// The page's server: static files, the packages' ESM builds from node_modules, and the token endpoint.
// The app secret stays here: the page only ever sees its own user token.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { createTokenHandler } from '@coplay/core/server';

const env = process.env;
const here = fileURLToPath(new URL('.', import.meta.url));
const port = Number(env.PORT ?? 8080);
const appId = env.EASEMOB_APP_ID ?? 'coplaydev';

const tokens = getRequestListener(
  createTokenHandler({
    apiUrl: env.EASEMOB_API_URL ?? `http://127.0.0.1:18832/app/${appId}`,
    appId,
    appClientId: env.EASEMOB_CLIENT_ID ?? 'local-client',
    appClientSecret: env.EASEMOB_CLIENT_SECRET ?? 'local-dev-secret',
    // A real app asks its session who is calling; this example lets every visitor play as a guest.
    authorize: (_request, body) => ({ username: `guest_${body.deviceId ?? 'anon'}` }),
  }),
);

// Only these packages are served from node_modules: what the import map in index.html names.
const PACKAGES = ['@coplay/core/', 'rxjs/', 'tslib/', 'mqtt/', 'ky/', '@noble/hashes/'];
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css' };

async function file(res, path) {
  // rxjs's ESM build imports './internal/Observable' without '.js' (bundlers add it); so does this server.
  for (const candidate of [path, `${path}.js`]) {
    try {
      const body = await readFile(candidate);
      res.writeHead(200, { 'content-type': TYPES[extname(candidate)] ?? 'application/octet-stream' });
      return res.end(body);
    } catch {}
  }
  res.writeHead(404).end();
}

createServer((req, res) => {
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  if (pathname === '/api/coplay-token') return tokens(req, res);
  if (pathname === '/config.json') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ brokerUrl: env.COPLAY_BROKER_WS_URL ?? 'ws://127.0.0.1:18831/mqtt' }));
  }
  const path = normalize(decodeURIComponent(pathname));
  if (path.startsWith('/node_modules/')) {
    const rest = path.slice('/node_modules/'.length);
    if (!PACKAGES.some((p) => rest.startsWith(p))) return res.writeHead(404).end();
    return file(res, join(here, path));
  }
  return file(res, join(here, 'public', path === '/' ? 'index.html' : path));
}).listen(port, '127.0.0.1', () => console.log(`guest page on http://127.0.0.1:${port}/`));
