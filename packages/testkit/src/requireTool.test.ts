import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { requireTool } from './requireTool';

describe('requireTool', () => {
  const empty = mkdtempSync(join(tmpdir(), 'coplay-tool-'));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it('finds an executable in the searched directories, and ignores non-executable files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coplay-tool-'));
    try {
      const file = join(dir, 'nats-server');
      writeFileSync(file, '#!/bin/sh\n', { mode: 0o644 });
      expect(() => requireTool('nats-server', { env: { CI: 'true' }, searchDirs: [empty, dir] })).toThrow(
        /nats-server is required in CI/,
      );
      chmodSync(file, 0o755);
      expect(requireTool('nats-server', { env: { CI: 'true' }, searchDirs: [empty, dir] })).toEqual({
        available: true,
        path: file,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('throws in CI when the tool is missing', () => {
    expect(() => requireTool('mosquitto', { env: { CI: 'true' }, searchDirs: [empty] })).toThrow(
      /mosquitto is required in CI/,
    );
  });

  it('warns once and reports the reason outside CI', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const a = requireTool('chromium', { env: {}, searchDirs: [empty] });
      const b = requireTool('chromium', { env: {}, searchDirs: [empty] });
      expect(a).toEqual({ available: false, reason: expect.stringContaining(empty) });
      expect(b.available).toBe(false);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]?.[0]).toMatch(/^\[coplay testkit\] skipping: chromium not found \(/);
    } finally {
      warn.mockRestore();
    }
  });
});
