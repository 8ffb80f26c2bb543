/**
 * A path on this site to send the browser back to, or `/`. Only a plain absolute path is
 * accepted: `//evil.example` and `/\evil.example` are other hosts to a browser.
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  // Control characters (a newline in a header, say) are never part of a path we made.
  for (const char of value) if (char < ' ' || char === '\x7f') return '/';
  return value;
}
