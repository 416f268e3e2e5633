import type { Connection } from '@coplay/core';
import type { InjectionKey } from 'vue';

/** What {@link CoplayPlugin} and {@link provideCoplay} provide. */
export interface Provided {
  readonly connection: Connection;
  /** Connects an owned connection (idempotent); called once a component using it has mounted. */
  readonly start?: () => void;
}

/** Where {@link CoplayPlugin} and {@link provideCoplay} put the connection. */
export const coplayKey: InjectionKey<Provided> = Symbol('coplay');
