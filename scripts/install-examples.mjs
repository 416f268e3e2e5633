// `npm run examples:install [name...]`: `npm ci` in every example (in parallel), after
// `npm run examples:pack`. The examples' lockfiles pin everything except the packed @coplay tarballs,
// whose integrity changes with every build (their lock entries carry none). When a tarball's own
// dependencies changed since a lockfile was written, `npm ci` refuses; then this falls back to
// `npm install --no-save` for that example and says so.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
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
const flags = ['--no-audit', '--no-fund', '--loglevel=error'];

const results = await Promise.allSettled(
  names.map(async (name) => {
    const cwd = join(examples, name);
    const started = Date.now();
    try {
      await run('npm', ['ci', ...flags], { cwd, maxBuffer: 64 << 20 });
    } catch (error) {
      // e.g. vite 8 lists an optional dependency the registry does not serve: `npm install` skips it,
      // `npm ci` calls the lockfile out of sync. The lockfile's versions still apply.
      const reason = String(error.stderr).split('\n').find((l) => /Missing|Invalid|error/.test(l)) ?? '';
      console.warn(`examples/${name}: npm ci refused (${reason.trim()}); npm install --no-save`);
      // A tarball with an unchanged version is not unpacked again over an old copy.
      rmSync(join(cwd, 'node_modules/@coplay'), { recursive: true, force: true });
      await run('npm', ['install', '--no-save', ...flags], { cwd, maxBuffer: 64 << 20 });
    }
    console.log(`examples/${name}: installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }),
);
const failed = results.filter((r) => r.status === 'rejected');
for (const f of failed) console.error(f.reason);
process.exit(failed.length ? 1 : 0);
