import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { requireTool, startMosquitto, type MosquittoInstance } from '@coplay/testkit';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { Button, NEUTRAL } from '../input/ControllerState';
import { hostRoom } from './hostRoom';
import { hostWill } from './hostWill';
import { connections, until } from './roomTestKit';
import type { HostRoom } from './types';

const mosquitto = requireTool('mosquitto');
const script = fileURLToPath(new URL('./fixtures/killableGuest.mjs', import.meta.url));

describe.skipIf(!mosquitto.available)('a guest process killed without leaving (mosquitto)', () => {
  let broker: MosquittoInstance;
  const conns = connections(() => broker.url);
  const children: ChildProcess[] = [];
  let room: HostRoom | undefined;

  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterEach(async () => {
    await room?.close();
    room = undefined;
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await conns.closeAll();
  });
  afterAll(async () => {
    await broker?.close();
  });

  it('goes neutral within silenceMs, shows interrupted, is freed after releaseMs, and the last will is seen', async () => {
    const silenceMs = 150;
    const releaseMs = 400;
    room = hostRoom(conns.open({ clientId: 'host', will: hostWill('k1') }), { room: 'k1', secure: false, silenceMs, releaseMs });
    const h = room;
    // An observer on the presence topics, to see the broker publish the guest's will.
    const observer = conns.open({ clientId: 'observer' });
    const presence: Array<{ id: string; bytes: number }> = [];
    observer.topic('cp/k1/p/+', { qos: 1 }).subscribe((m) => {
      presence.push({ id: m.topic.split('/').pop()!, bytes: m.payload.length });
    });

    const timeline: Record<string, number> = {};
    h.input(2).value$.subscribe((s) => {
      if (s.buttons === 1 << Button.A) timeline.held ??= Date.now();
      else if (timeline.held) timeline.neutral ??= Date.now();
    });
    h.players.value$.subscribe((ps) => {
      for (const p of ps) timeline[p.status] ??= Date.now();
    });

    const child = spawn(process.execPath, [script, broker.url, 'k1', 'victim'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));

    await until(h.input(2).value$, (s) => s.buttons === 1 << Button.A, 15_000, `the child's input (output: ${output})`);
    expect(h.players.value[0]).toMatchObject({ slot: 2, id: 'victim', name: 'Killable', status: 'playing' });
    await expect.poll(() => presence.some((p) => p.id === 'victim' && p.bytes > 0)).toBe(true);

    const killedAt = Date.now();
    child.kill('SIGKILL');
    await until(h.players.value$, (ps) => ps[0]?.status === 'interrupted');
    expect(h.input(2).value).toEqual(NEUTRAL);
    await until(h.players.value$, (ps) => ps[0]?.status === 'left');
    expect(h.input(2).value).toEqual(NEUTRAL);

    // The broker published the will: an empty (retained) presence that cleared the old one.
    await expect.poll(() => presence.some((p) => p.id === 'victim' && p.bytes === 0)).toBe(true);
    // Neutral came with the interruption; the release waited releaseMs after it.
    expect(timeline.neutral).toBeGreaterThanOrEqual(killedAt);
    expect(timeline.neutral).toBeLessThanOrEqual(timeline.interrupted!);
    expect(timeline.left! - timeline.interrupted!).toBeGreaterThanOrEqual(releaseMs - 5);
    expect(child.signalCode).toBe('SIGKILL');
  });

  it('reacts to the last will alone: interrupted long before silenceMs could pass', async () => {
    // With a silence timeout far beyond the test's own timeout, only the will can interrupt.
    room = hostRoom(conns.open({ clientId: 'host' }), { room: 'k2', secure: false, silenceMs: 600_000, releaseMs: 200 });
    const h = room;
    const child = spawn(process.execPath, [script, broker.url, 'k2', 'victim2'], { stdio: 'ignore' });
    children.push(child);
    await until(h.input(2).value$, (s) => s.buttons === 1 << Button.A, 15_000);
    child.kill('SIGKILL');
    await until(h.players.value$, (ps) => ps[0]?.status === 'interrupted');
    expect(h.input(2).value).toEqual(NEUTRAL);
    await until(h.players.value$, (ps) => ps[0]?.status === 'left');
  });
});
