// The demo guest page's weight: every JS and CSS file guest.html loads (its entry, the chunks it
// preloads, its styles), gzipped, after `vite build`. Read from the built HTML so chunk names can change.
import { readFileSync } from 'node:fs';

const html = readFileSync(new URL('./dist/guest.html', import.meta.url), 'utf8');
const files = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => `dist/${m[1]}`);
if (files.length === 0) throw new Error('size-limit: dist/guest.html loads no assets — run `vite build` first');

export default [
  {
    name: 'demo guest page (everything guest.html loads; MQTT.js browser build alone is ~105 kB of it)',
    path: files,
    gzip: true,
    limit: '175 kB',
  },
];
