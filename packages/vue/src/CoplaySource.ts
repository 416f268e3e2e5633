import type { Connection, ConnectionOptions } from '@coplay/core';

/** What {@link CoplayPlugin} and {@link provideCoplay} take: a connection to share, or options for one they own. */
export type CoplaySource = { connection: Connection; options?: undefined } | { options: ConnectionOptions; connection?: undefined };
