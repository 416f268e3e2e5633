import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMosquitto } from '@coplay/testkit';
import { scaleStep, tempProfileDir } from './scaleBench';
const m = await startMosquitto();
for (const mode of ['coplay'] as const) {
const p = tempProfileDir();
const s = await scaleStep(m.url, mode, 40, 4, p.dir);
console.log(mode, 'cpu/frame', s.cpuUsPerFrame.toFixed(1), 'frames', s.frames);
for (const f of readdirSync(p.dir)) {
  const prof = JSON.parse(readFileSync(join(p.dir, f), 'utf8'));
  const byId = new Map<number, any>(prof.nodes.map((n: any) => [n.id, n]));
  const self = new Map<number, number>();
  prof.samples.forEach((id: number, i: number) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
  const incl = new Map<string, number>();
  let total = 0;
  const walk = (id: number, stack: Set<string>): number => {
    const n = byId.get(id); let t = self.get(id) ?? 0;
    const name = `${n.callFrame.functionName || '(anon)'}@${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`;
    const fresh = !stack.has(name); if (fresh) stack.add(name);
    for (const c of n.children ?? []) t += walk(c, stack);
    if (fresh) { stack.delete(name); incl.set(name, (incl.get(name) ?? 0) + t); }
    return t;
  };
  const root = prof.nodes[0].id; walk(root, new Set());
  for (const [id, t] of self) { const fn = byId.get(id).callFrame.functionName; if (fn !== '(idle)' && fn !== '(program)' && fn !== 'dispatch') total += t; }
  const selfBy = new Map<string, number>(); for (const [id, t] of self) { const n = byId.get(id); const k = `${n.callFrame.functionName || '(anon)'}@${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`; selfBy.set(k, (selfBy.get(k) ?? 0) + t); }
  for (const [k, t] of [...selfBy].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log('self', (t / s.frames).toFixed(2).padStart(7), k);
  const rows = [...incl].filter(([k]) => !/^\((root|idle|program)\)/.test(k)).sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 0));
  console.log('total busy ms', (total / 1000).toFixed(0), 'per frame µs', (total / s.frames).toFixed(1));
  for (const [k, t] of rows) console.log((t / s.frames).toFixed(2).padStart(7), 'µs/frame', k);
}
p.dispose();
}
await m.close(); process.exit(0);
