import { describe, expect, it } from 'vitest';
import { mergeControllers } from './mergeControllers';

const pad = (buttons: number, axes: [number, number, number, number], triggers: [number, number] = [0, 0]) => ({
  buttons,
  axes,
  triggers,
});

describe('mergeControllers', () => {
  it('ORs buttons, keeps the stronger axis and the larger trigger', () => {
    const m = mergeControllers(pad(0b0101, [0.2, -1, 0, 0], [0.3, 0]), pad(0b1001, [-0.5, 0.4, 0, 1], [0.1, 0.9]));
    expect(m).toEqual(pad(0b1101, [-0.5, -1, 0, 1], [0.3, 0.9]));
  });
  it('neutral plus neutral is neutral', () => {
    expect(mergeControllers(pad(0, [0, 0, 0, 0]), pad(0, [0, 0, 0, 0]))).toEqual(pad(0, [0, 0, 0, 0]));
  });
});
