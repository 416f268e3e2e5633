import type { ConnectionState } from '@coplay/core';

/** A short label and a tone for a connection badge. */
export function describeConnection(state: ConnectionState): { label: string; tone: 'ok' | 'busy' | 'bad' } {
  switch (state.status) {
    case 'connected':
      return { label: 'connected', tone: 'ok' };
    case 'connecting':
      return { label: state.attempt > 1 ? `connecting (attempt ${state.attempt})` : 'connecting', tone: 'busy' };
    case 'reconnecting':
      return { label: `reconnecting (attempt ${state.attempt})`, tone: 'busy' };
    case 'idle':
      return { label: 'idle', tone: 'busy' };
    case 'auth-failed':
      return { label: 'auth failed', tone: 'bad' };
    case 'kicked':
      return { label: 'kicked by another session', tone: 'bad' };
    case 'closed':
      return { label: 'closed', tone: 'bad' };
  }
}
