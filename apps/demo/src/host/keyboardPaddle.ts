/**
 * P1's keys (W/S, or the arrow keys) as held flags. Bound on `KeyboardEvent.code` so the keys sit
 * in the same place on every layout; a lost focus releases everything so no key stays held.
 */
export function keyboardPaddle(target: Window = window): { up(): boolean; down(): boolean; dispose(): void } {
  const held = new Set<string>();
  const UP = new Set(['KeyW', 'ArrowUp']);
  const DOWN = new Set(['KeyS', 'ArrowDown']);
  const isGameKey = (code: string) => UP.has(code) || DOWN.has(code);
  const onDown = (e: KeyboardEvent) => {
    if (!isGameKey(e.code) || (e.target instanceof HTMLElement && e.target.tagName === 'INPUT')) return;
    held.add(e.code);
    e.preventDefault();
  };
  const onUp = (e: KeyboardEvent) => held.delete(e.code);
  const onBlur = () => held.clear();
  target.addEventListener('keydown', onDown);
  target.addEventListener('keyup', onUp);
  target.addEventListener('blur', onBlur);
  const any = (codes: Set<string>) => [...held].some((c) => codes.has(c));
  return {
    up: () => any(UP),
    down: () => any(DOWN),
    dispose() {
      target.removeEventListener('keydown', onDown);
      target.removeEventListener('keyup', onUp);
      target.removeEventListener('blur', onBlur);
      held.clear();
    },
  };
}
