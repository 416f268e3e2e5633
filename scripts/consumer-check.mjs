// Installs the packages the way a user gets them and checks they work there: `npm pack` core, react and
// vue, install the tarballs with their peers into a fresh temporary project, import them as ESM and as
// CommonJS, and type-check a consumer file under moduleResolution `bundler` and `node16`.
// Needs a build first (`npm run check:consumer` builds). Exits non-zero on the first failure.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixtures = join(root, 'scripts/consumer');
const work = mkdtempSync(join(tmpdir(), 'coplay-consumer-'));
const keep = process.argv.includes('--keep');

const run = (cmd, args, cwd = work) => {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  try {
    return execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  } catch (error) {
    process.stdout.write(error.stdout ?? '');
    console.error(`consumer check FAILED: ${cmd} ${args.join(' ')} exited ${error.status}`);
    process.exit(1);
  }
};
// The peers at the versions the workspace develops against, so the install comes from npm's cache.
const installed = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;

try {
  const deps = {};
  for (const pkg of ['core', 'react', 'vue']) {
    const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], join(root, 'packages', pkg)));
    deps[packed.name] = `file:./${packed.filename}`;
  }
  // @types/node: a server-side consumer of `@coplay/core/server` has Node's types anyway.
  for (const peer of ['rxjs', 'react', 'vue', 'typescript', '@types/react', '@types/node']) deps[peer] = installed(peer);
  writeFileSync(
    join(work, 'package.json'),
    JSON.stringify({ name: 'coplay-consumer', private: true, type: 'module', dependencies: deps }, null, 2),
  );
  for (const file of readdirSync(fixtures)) copyFileSync(join(fixtures, file), join(work, file));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error']);

  process.stdout.write(run('node', ['esm.mjs']));
  process.stdout.write(run('node', ['cjs.cjs']));
  for (const resolution of ['bundler', 'node16']) {
    run(join(work, 'node_modules/.bin/tsc'), ['-p', `tsconfig.${resolution}.json`]);
    console.log(`types: consumer file checks under moduleResolution ${resolution}`);
  }
  run(join(work, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.browser.json']);
  // @types/node is installed here (for the server entry), so also make sure nothing pulled it in.
  const files = run(join(work, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.browser.json', '--listFilesOnly']);
  const nodeTypes = files.split('\n').filter((f) => f.includes('/node_modules/@types/node/'));
  if (nodeTypes.length > 0) {
    console.error(`consumer check FAILED: the browser entries' types load Node's types:\n${nodeTypes.slice(0, 5).join('\n')}`);
    process.exit(1);
  }
  console.log("types: a browser file checks, and its program loads none of Node's types");
  console.log(`consumer check passed (${Object.keys(deps).slice(0, 3).join(', ')} from tarballs)`);
} finally {
  // process.exit() above skips this on failure, which keeps the project for a look.
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
