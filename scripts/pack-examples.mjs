// `npm run examples:pack`: packs @coplay/core, react and vue (built) into examples/.packs/ under fixed
// names, which the examples install from (`"@coplay/core": "file:../.packs/coplay-core.tgz"`): the same
// files a user gets from the registry, without publishing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'examples/.packs');
mkdirSync(out, { recursive: true });
for (const pkg of ['core', 'react', 'vue']) {
  const json = execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: join(root, 'packages', pkg), encoding: 'utf8' });
  const [{ filename }] = JSON.parse(json);
  renameSync(join(out, filename), join(out, `coplay-${pkg}.tgz`));
  console.log(`examples/.packs/coplay-${pkg}.tgz`);
}

// The tarballs change with every build, so the examples' lockfiles carry no integrity for them (`npm ci`
// accepts that). `npm install` in an example writes one back; drop it again.
for (const name of readdirSync(join(root, 'examples'))) {
  const lock = join(root, 'examples', name, 'package-lock.json');
  if (!existsSync(lock)) continue;
  const data = JSON.parse(readFileSync(lock, 'utf8'));
  let changed = false;
  for (const entry of Object.values(data.packages ?? {})) {
    if (entry.resolved?.startsWith('file:../.packs/') && 'integrity' in entry) {
      delete entry.integrity;
      changed = true;
    }
  }
  if (changed) writeFileSync(lock, `${JSON.stringify(data, null, 2)}\n`);
}
