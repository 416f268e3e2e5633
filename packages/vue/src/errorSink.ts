import type { CoplayError } from '@coplay/core';
import { shallowRef, watch } from 'vue';

/**
 * Where a stream error goes: to `onError()` when it returns a handler, otherwise it is rethrown
 * from a watcher of the current component or scope, which hands it to Vue's error handling
 * (`onErrorCaptured`, `app.config.errorHandler`) through public API only.
 */
export function errorSink(onError: () => ((error: CoplayError) => void) | undefined): (error: unknown) => void {
  const failure = shallowRef<{ error: unknown }>();
  watch(failure, (f) => {
    if (f) throw f.error;
  });
  return (error) => {
    const handle = onError();
    if (handle) handle(error as CoplayError);
    else failure.value = { error };
  };
}
