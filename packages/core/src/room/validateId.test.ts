import { describe, expect, it } from 'vitest';
import { isCoplayError } from '../errors/CoplayError';
import { validateId } from './validateId';

describe('validateId', () => {
  it('accepts ids of Easemob’s topic alphabet, including Easemob client ids', () => {
    for (const id of ['room1', 'a', 'guest-7_x', 'device42@appid', 'x'.repeat(64), '0-9_azAZ@']) {
      expect(validateId(id)).toBe(id);
    }
  });

  it('refuses wildcards, separators, other characters and long ids with INVALID_ID', () => {
    for (const id of ['', 'a/b', 'a+b', '#', 'a.b', 'a b', 'tab\t', 'nul\u0000', 'del\u007f', 'c1\u0085', 'café', 'a$', 'x'.repeat(65), 42, undefined]) {
      let error: unknown;
      try {
        validateId(id, 'client');
      } catch (e) {
        error = e;
      }
      expect(isCoplayError(error, 'INVALID_ID'), JSON.stringify(id)).toBe(true);
      expect((error as Error).message).toContain('client id');
    }
  });
});
