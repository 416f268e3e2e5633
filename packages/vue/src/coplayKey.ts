import type { Connection } from '@coplay/core';
import type { InjectionKey } from 'vue';

/** Where {@link CoplayPlugin} and {@link provideCoplay} put the connection. */
export const coplayKey: InjectionKey<Connection> = Symbol('coplay');
