/**
 * Retries `check` every 10 ms until it stops throwing, for UIs that render asynchronously (Vue);
 * after `timeoutMs` rethrows its last error. (React tests have Testing Library's `waitFor`.)
 */
export async function eventually(check: () => void, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
