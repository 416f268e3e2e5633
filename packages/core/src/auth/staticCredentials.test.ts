import { describe, expect, it } from 'vitest';
import { staticCredentials } from './staticCredentials';

describe('staticCredentials', () => {
  it('always returns a copy of the same credentials, also on refresh, with a valid state', async () => {
    const input = { username: 'u', password: 'p', clientId: 'c' };
    const credentials = staticCredentials(input);
    input.password = 'changed';
    expect(await credentials({ attempt: 1, refresh: false, signal: new AbortController().signal })).toEqual({ username: 'u', password: 'p', clientId: 'c' });
    expect(await credentials({ refresh: true })).toEqual({ username: 'u', password: 'p', clientId: 'c' });
    expect(credentials.state.value).toEqual({ status: 'valid' });
  });

  it('rejects a non-object', () => {
    expect(() => staticCredentials(null as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });
});
