// `npm run examples:install [name...]`: installs every example (in parallel) after `npm run examples:pack`.
//
// The lockfiles pin every third-party package. The packed @coplay tarballs change with every build, and
// their own dependencies may change too (a new dependency of core), which a lockfile entry written for
// an older tarball would hide: `npm ci` installs what the lock lists, not what the tarball asks for. So
// the @coplay entries are dropped before a plain `npm install`, which reads them from the tarballs again
// and keeps every other locked version; an old unpacked copy is removed first (npm does not unpack a
// tarball again over one with the same version). A lockfile that changed then belongs in the next commit.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const examples = fileURLToPath(new URL('../examples', import.meta.url));
if (!existsSync(join(examples, '.packs/coplay-core.tgz'))) {
  console.error('examples/.packs is empty: run `npm run examples:pack` first');
  process.exit(1);
}
const wanted = process.argv.slice(2);
const names = readdirSync(examples).filter(
  (n) => existsSync(join(examples, n, 'package.json')) && (wanted.length === 0 || wanted.includes(n)),
);

/** Rewrites a lockfile's entries; `edit` returns false to drop an entry. */
function editLock(dir, edit) {
  const path = join(dir, 'package-lock.json');
  if (!existsSync(path)) return;
  const lock = JSON.parse(readFileSync(path, 'utf8'));
  for (const [key, entry] of Object.entries(lock.packages ?? {})) if (edit(key, entry) === false) delete lock.packages[key];
  writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
}

const results = await Promise.allSettled(
  names.map(async (name) => {
    const cwd = join(examples, name);
    const started = Date.now();
    editLock(cwd, (key) => !key.startsWith('node_modules/@coplay/'));
    rmSync(join(cwd, 'node_modules/@coplay'), { recursive: true, force: true });
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd, maxBuffer: 64 << 20 });
    // The tarballs' integrity changes with every build: keep it out of the lockfile (see pack-examples.mjs).
    editLock(cwd, (_key, entry) => {
      if (entry.resolved?.startsWith('file:../.packs/')) delete entry.integrity;
    });
    console.log(`examples/${name}: installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }),
);
const failed = results.filter((r) => r.status === 'rejected');
for (const f of failed) console.error(f.reason);
process.exit(failed.length ? 1 : 0);
