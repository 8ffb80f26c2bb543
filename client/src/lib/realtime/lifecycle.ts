/**
 * Moments when a page should assume it missed something: the tab became visible again, the
 * network came back, the page was restored from the back/forward cache, or the device woke
 * from sleep. Phones in a pocket do all of these; a socket that looks connected may have
 * been silently dead for minutes.
 */
export type ResumeReason = 'visible' | 'online' | 'pageshow' | 'wake';

export interface LifecycleSource {
  subscribe(onResume: (reason: ResumeReason) => void): () => void;
}

/** How often the sleep detector ticks, and how late a tick must be to count as a wake-up. */
const TICK_MS = 5_000;
const WAKE_DRIFT_MS = 10_000;

/** The browser's signals, plus a timer-drift detector for sleeps no event reports. */
export function browserLifecycle(now: () => number = Date.now): LifecycleSource {
  return {
    subscribe(onResume) {
      if (typeof window === 'undefined' || typeof document === 'undefined') return () => {};
      const onVisibility = () => {
        if (document.visibilityState === 'visible') onResume('visible');
      };
      const onOnline = () => onResume('online');
      const onPageShow = (event: PageTransitionEvent) => {
        // A fresh load needs nothing; a page restored from the back/forward cache does.
        if (event.persisted) onResume('pageshow');
      };
      document.addEventListener('visibilitychange', onVisibility);
      window.addEventListener('online', onOnline);
      window.addEventListener('pageshow', onPageShow);
      // Timers stop while the device sleeps: a tick that comes much later than asked for
      // means the page was frozen in between.
      let last = now();
      const timer = setInterval(() => {
        const at = now();
        if (at - last > TICK_MS + WAKE_DRIFT_MS) onResume('wake');
        last = at;
      }, TICK_MS);
      return () => {
        document.removeEventListener('visibilitychange', onVisibility);
        window.removeEventListener('online', onOnline);
        window.removeEventListener('pageshow', onPageShow);
        clearInterval(timer);
      };
    },
  };
}

/** A source fired by hand: tests, and pages that have their own notion of "resume". */
export class ManualLifecycle implements LifecycleSource {
  #listeners = new Set<(reason: ResumeReason) => void>();

  subscribe(onResume: (reason: ResumeReason) => void): () => void {
    this.#listeners.add(onResume);
    return () => this.#listeners.delete(onResume);
  }

  fire(reason: ResumeReason): void {
    for (const listener of this.#listeners) listener(reason);
  }
}
