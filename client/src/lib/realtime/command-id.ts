/**
 * Client-made command ids: URL-safe, 8-64 characters (the server's id pattern), random
 * enough that two phones never collide. `crypto.randomUUID` exists only in secure contexts
 * (HTTPS or localhost); a phone on the venue's plain-HTTP address still has
 * `crypto.getRandomValues`, so that is the fallback.
 */
export function newCommandId(): string {
  const uuid = globalThis.crypto?.randomUUID?.();
  if (uuid) return `c${uuid.replace(/-/g, '')}`;
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return `c${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
