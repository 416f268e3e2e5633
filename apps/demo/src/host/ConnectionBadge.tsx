import { useConnectionState } from '@coplay/react';
import { describeConnection } from '../shared/describeConnection';

/** The connection state as a coloured pill. */
export function ConnectionBadge() {
  const { label, tone } = describeConnection(useConnectionState());
  return (
    <span className="badge" data-testid="connection-state" data-tone={tone}>
      {label}
    </span>
  );
}
