/** Run `task` after `delayMs`, unless the connection has been closed by then. */
export type Later = (delayMs: number, task: () => void) => void;

/** A delay around `baseMs` (half to one and a half times it), so a room of phones spreads out. */
export function jittered(baseMs: number): number {
  return baseMs * (0.5 + Math.random());
}
