import { describe, expect, it } from 'vitest';
import { formatJoinCode, isJoinCode, normaliseJoinCode } from './join-code';

describe('join codes as people type them', () => {
  it.each([
    ['123456', '123456'],
    ['123 456', '123456'],
    ['  123 456 ', '123456'],
    ['123-456', '123456'],
    ['123\u00a0456', '123456'],
    ['12 34 56', '123456'],
    ['１２３ ４５６', '123456'],
  ])('reads %j as %s', (typed, code) => {
    expect(normaliseJoinCode(typed)).toBe(code);
    expect(isJoinCode(normaliseJoinCode(typed))).toBe(true);
  });

  it.each(['12345', '1234567', '12a456', '', '123 45x'])('does not take %j for a code', (typed) => {
    expect(isJoinCode(normaliseJoinCode(typed))).toBe(false);
  });

  it('shows a code in two groups of three, as on the poster', () => {
    expect(formatJoinCode('042933')).toBe('042 933');
    expect(formatJoinCode('12')).toBe('12');
  });
});
