import { describe, expect, it } from 'vitest';
import { isCoplayError } from '../errors/CoplayError';
import { topicMatches } from './topicMatches';
import { validateFilter, validateTopic } from './validateTopic';

const code = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    return isCoplayError(e) ? e.code : 'not a CoplayError';
  }
  return 'no error';
};

describe('validateTopic / validateFilter', () => {
  it.each(['a', 'a/b', '/a', 'coplay/room1/in/dev@app', 'a//b'])('accepts topic %j', (t) => {
    expect(code(() => validateTopic(t))).toBe('no error');
  });
  it.each(['', 'a/+', 'a/#', 'a\u0000b', 42, null, 'x'.repeat(70_000)])('rejects topic %j with INVALID_TOPIC', (t) => {
    expect(code(() => validateTopic(t))).toBe('INVALID_TOPIC');
  });
  it('counts the 65,535-byte limit in UTF-8 bytes, not characters', () => {
    expect(code(() => validateTopic('€'.repeat(21_845)))).toBe('no error'); // 65,535 bytes
    expect(code(() => validateTopic('€'.repeat(21_846)))).toBe('INVALID_TOPIC'); // 65,538 bytes, 21,846 characters
    expect(code(() => validateTopic('x'.repeat(65_535)))).toBe('no error');
    expect(code(() => validateTopic('x'.repeat(65_536)))).toBe('INVALID_TOPIC');
  });
  it.each(['#', '+', 'a/+/c', 'a/#', '+/+', '/+', 'a/b'])('accepts filter %j', (f) => {
    expect(code(() => validateFilter(f))).toBe('no error');
  });
  it.each(['', 'a/#/c', 'a#', 'a/b+', '+a', '#/a', undefined])('rejects filter %j with INVALID_FILTER', (f) => {
    expect(code(() => validateFilter(f))).toBe('INVALID_FILTER');
  });
});

describe('topicMatches', () => {
  it.each([
    ['a/b', 'a/b', true],
    ['a/+', 'a/b', true],
    ['a/+', 'a/b/c', false],
    ['a/#', 'a', true],
    ['a/#', 'a/b/c', true],
    ['#', 'a/b', true],
    ['+/b', 'a/b', true],
    ['+', '/a', false],
    ['+/+', '/a', true],
    ['#', '$SYS/x', false],
    ['+/x', '$SYS/x', false],
    ['$SYS/#', '$SYS/x', true],
    ['a/b', 'a/c', false],
  ])('%s matches %s: %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });
});
