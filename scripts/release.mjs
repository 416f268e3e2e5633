// `npm run release`: a DRY RUN of a release, publishing nothing. It shows
//   1. the pending changesets,
//   2. the versions and CHANGELOG entries `npm run version-packages` (changeset version) would write,
//      computed in a temporary copy so the working tree stays as it is,
//   3. the tarballs `changeset publish` would upload (`npm publish --dry-run` of each public package,
//      after a build).
// `npm run release -- --publish` is the real thing: `changeset publish` (npm login or NPM_TOKEN needed),
// after `npm run version-packages` was committed.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const changeset = join(root, 'node_modules/@changesets/cli/bin.js');
const PUBLIC = ['core', 'react', 'vue'];
const sh = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, stdio: 'inherit' });
const step = (title) => console.log(`\n==> ${title}`);

if (process.argv.includes('--publish')) {
  sh('npx', ['turbo', 'run', 'build', '--output-logs=errors-only', ...PUBLIC.map((p) => `--filter=@coplay/${p}`)]);
  sh('node', [changeset, 'publish']);
  process.exit(0);
}

step('pending changesets (changeset status)');
sh('node', [changeset, 'status', '--verbose']);

step('what `npm run version-packages` would write (in a temporary copy)');
const copy = mkdtempSync(join(tmpdir(), 'coplay-release-'));
try {
  // What changesets reads: the root manifest, the config and changesets, every workspace manifest and changelog.
  cpSync(join(root, 'package.json'), join(copy, 'package.json'));
  cpSync(join(root, '.changeset'), join(copy, '.changeset'), { recursive: true });
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, group))) {
      for (const file of ['package.json', 'CHANGELOG.md']) {
        const from = join(root, group, name, file);
        if (existsSync(from)) cpSync(from, join(copy, group, name, file), { recursive: true });
      }
    }
  }
  execFileSync('node', [changeset, 'version'], { cwd: copy, stdio: ['ignore', 'ignore', 'inherit'] });
  // A major bump only when a changeset asks for one (e.g. not from a peer-dependency rule: see CONTRIBUTING.md).
  const askedMajor = readdirSync(join(root, '.changeset'))
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .some((f) => /^['"]?@coplay\/[a-z]+['"]?:\s*major\s*$/m.test(readFileSync(join(root, '.changeset', f), 'utf8')));
  for (const name of PUBLIC) {
    const before = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')).version;
    const after = JSON.parse(readFileSync(join(copy, 'packages', name, 'package.json'), 'utf8')).version;
    console.log(`@coplay/${name}: ${before} -> ${after}`);
    if (!askedMajor && after.split('.')[0] !== before.split('.')[0]) {
      console.error(`release dry run FAILED: @coplay/${name} would go to ${after} though no changeset asks for a major`);
      process.exitCode = 1;
    }
  }
  const changelog = join(copy, 'packages/core/CHANGELOG.md');
  if (existsSync(changelog)) {
    console.log('\npackages/core/CHANGELOG.md would start with:\n');
    console.log(readFileSync(changelog, 'utf8').split('\n').slice(0, 30).join('\n'));
  }
} finally {
  rmSync(copy, { recursive: true, force: true });
}

step('build, then what `changeset publish` would upload (npm publish --dry-run)');
sh('npx', ['turbo', 'run', 'build', '--output-logs=errors-only', ...PUBLIC.map((p) => `--filter=@coplay/${p}`)]);
for (const name of PUBLIC) {
  const dir = join(root, 'packages', name);
  const out = execFileSync('npm', ['publish', '--dry-run', '--access', 'public'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(out);
}
if (process.exitCode) process.exit(process.exitCode);
console.log('\nrelease dry run: nothing was published. `npm run version-packages`, commit, then `npm run release -- --publish`.');
