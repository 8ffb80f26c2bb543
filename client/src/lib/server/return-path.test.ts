import { describe, expect, it } from 'vitest';
import { safeReturnPath } from './return-path';

describe('where the language switch sends the browser back to', () => {
  it.each(['/', '/organiser', '/j/123456', '/s/ses_abc?view=new'])('keeps %s', (path) => {
    expect(safeReturnPath(path)).toBe(path);
  });

  it.each([
    ['another site', 'https://evil.example/'],
    ['a protocol-relative address', '//evil.example/'],
    ['a backslash trick', '/\\evil.example'],
    ['a relative path', 'organiser'],
    ['a header injection', '/organiser\r\nSet-Cookie: x=1'],
    ['nothing', null],
    ['a file upload', new Blob(['x'])],
  ])('sends %s to the front page', (_what, value) => {
    expect(safeReturnPath(value)).toBe('/');
  });
});
