import { describe, expect, it } from 'vitest';
import { browserFocus } from './browserFocus';

function fakeDom() {
  const window = new EventTarget();
  const document = Object.assign(new EventTarget(), { visibilityState: 'visible' });
  const hide = (hidden: boolean) => {
    document.visibilityState = hidden ? 'hidden' : 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
  };
  return { window, document, hide };
}

describe('browserFocus', () => {
  it('is unfocused while hidden or blurred, focused again when both are over; value$ replays and emits changes only', () => {
    const dom = fakeDom();
    const focus = browserFocus(dom);
    const seen: boolean[] = [];
    const sub = focus.value$.subscribe((v) => seen.push(v));
    dom.window.dispatchEvent(new Event('blur'));
    dom.hide(true);
    dom.window.dispatchEvent(new Event('focus'));
    expect(focus.value).toBe(false);
    dom.hide(false);
    dom.hide(false);
    expect(seen).toEqual([true, false, true]);
    expect(focus.value).toBe(true);
    sub.unsubscribe();
  });

  it('starts unfocused in a hidden page', () => {
    const dom = fakeDom();
    dom.document.visibilityState = 'hidden';
    const focus = browserFocus(dom);
    const seen: boolean[] = [];
    focus.value$.subscribe((v) => seen.push(v)).unsubscribe();
    expect(seen).toEqual([false]);
  });

  it('release$ on gamepaddisconnected; nothing listens once unsubscribed', () => {
    const dom = fakeDom();
    const focus = browserFocus(dom);
    let releases = 0;
    const sub = focus.release$.subscribe(() => releases++);
    dom.window.dispatchEvent(new Event('gamepaddisconnected'));
    sub.unsubscribe();
    dom.window.dispatchEvent(new Event('gamepaddisconnected'));
    expect(releases).toBe(1);
  });

  it('without a DOM: always focused, never releases', () => {
    const focus = browserFocus({});
    const seen: boolean[] = [];
    focus.value$.subscribe((v) => seen.push(v));
    focus.release$.subscribe(() => seen.push(false));
    expect(seen).toEqual([true]);
    expect(focus.value).toBe(true);
  });
});
