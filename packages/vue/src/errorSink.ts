import type { CoplayError } from '@coplay/core';
import { getCurrentInstance, hasInjectionContext, inject, shallowRef, watch } from 'vue';
import { coplayKey } from './coplayKey';

/**
 * Where a stream error goes: to `onError()` when it returns a handler. Otherwise, inside a
 * component, it is rethrown from a watcher, which hands it to Vue's error handling
 * (`onErrorCaptured` of the parents, then `app.config.errorHandler`) through public API only;
 * outside any component (a bare effect scope) it goes to the app's `config.errorHandler` when set.
 */
export function errorSink(onError: () => ((error: CoplayError) => void) | undefined): (error: unknown) => void {
  const appHandler =
    !getCurrentInstance() && hasInjectionContext() ? inject(coplayKey, undefined)?.appErrorHandler : undefined;
  const failure = shallowRef<{ error: unknown }>();
  watch(failure, (f) => {
    if (f) throw f.error;
  });
  return (error) => {
    const handle = onError();
    const app = appHandler?.();
    if (handle) handle(error as CoplayError);
    else if (app) app(error, null, 'coplay stream');
    else failure.value = { error };
  };
}
