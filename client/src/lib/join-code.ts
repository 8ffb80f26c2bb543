/**
 * Join codes as people type them: "123 456", "123-456", " 123456 " all mean 123456, and so
 * do full-width digits from a phone keyboard in another script mode (NFKC folds them).
 */
export function normaliseJoinCode(typed: string): string {
  return typed.normalize('NFKC').replace(/[\s\-–.]/g, '');
}

export const isJoinCode = (code: string): boolean => /^[0-9]{6}$/.test(code);

/** 123456 → "123 456": easier to read aloud and to compare with the poster. */
export const formatJoinCode = (code: string): string =>
  isJoinCode(code) ? `${code.slice(0, 3)} ${code.slice(3)}` : code;
