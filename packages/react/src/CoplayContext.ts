import type { Connection } from '@coplay/core';
import { createContext } from 'react';

/** The connection the hooks below a {@link CoplayProvider} use. */
export const CoplayContext = createContext<Connection | undefined>(undefined);
