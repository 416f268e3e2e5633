// `npm run examples:pack`: packs @coplay/core, react and vue (built) into examples/.packs/ under fixed
// names, which the examples install from (`"@coplay/core": "file:../.packs/coplay-core.tgz"`): the same
// files a user gets from the registry, without publishing.
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync } from 'node:fs';
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
