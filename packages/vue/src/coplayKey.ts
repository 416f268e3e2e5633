import type { Connection } from '@coplay/core';
import type { InjectionKey } from 'vue';

/** What {@link CoplayPlugin} and {@link provideCoplay} provide. */
export interface Provided {
  readonly connection: Connection;
  /** Connects an owned connection (idempotent); called once a component using it has mounted. */
  readonly start?: () => void;
  /** The app's `config.errorHandler`, for errors raised outside any component (a bare effect scope). */
  readonly appErrorHandler?: () => ((error: unknown, instance: null, info: string) => void) | undefined;
}

/** Where {@link CoplayPlugin} and {@link provideCoplay} put the connection. */
export const coplayKey: InjectionKey<Provided> = Symbol('coplay');
