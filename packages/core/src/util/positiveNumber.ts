import { CoplayError } from '../errors/CoplayError';

/**
 * `v` when it is a positive finite number (or zero with `allowZero`), for validating options.
 * @throws CoplayError `INVALID_OPTIONS` naming the option otherwise.
 */
export function positiveNumber(name: string, v: number, allowZero = false): number {
  if (!(typeof v === 'number' && (allowZero ? v >= 0 : v > 0) && v < Number.POSITIVE_INFINITY)) {
    throw new CoplayError('INVALID_OPTIONS', `${name} must be a ${allowZero ? 'non-negative' : 'positive'} finite number, got ${String(v)}`);
  }
  return v;
}
