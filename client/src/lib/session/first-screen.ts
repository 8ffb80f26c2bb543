/**
 * Exposure reporting (DESIGN "Fair visibility", SPEC K3): a post counts one impression when it
 * was in the first screenful of an attendee's list, once per device. The phone decides what
 * that screenful is; the server counts each (device, post) pair once whatever the repeats
 * (`exposure:report`), and this module keeps the phone from asking twice.
 *
 * Loaded with import() once the page is live (PostList, AttendeeSession): nothing here is
 * needed for the first paint.
 */

/** The server takes at most this many ids per report. */
export const MAX_REPORTED = 12;
/** Ids remembered per session on this phone; the oldest are forgotten first. */
const REMEMBERED = 500;

/** Where the list's entries are, in CSS px relative to the list's top (offsetTop and height). */
export interface PlacedPost {
  id: string;
  top: number;
}

/**
 * The posts in the list's first screenful: those that start within one viewport height of
 * the list's top, in list order, at most `MAX_REPORTED`.
 */
export function firstScreenful(placed: readonly PlacedPost[], viewportHeight: number): string[] {
  return placed
    .filter((post) => post.top < viewportHeight)
    .slice(0, MAX_REPORTED)
    .map((post) => post.id);
}

/** The posts this phone has already reported in a session, kept in localStorage. */
export class ReportedPosts {
  readonly #key: string;
  readonly #storage: Storage | null;
  #ids: string[];

  constructor(sessionId: string, storage: Storage | null) {
    this.#key = `gt:reported:v1:${sessionId}`;
    this.#storage = storage;
    this.#ids = this.#read();
  }

  /** The ids not reported yet, in the given order. */
  unreported(ids: readonly string[]): string[] {
    // Re-read: another tab of the same phone may have reported meanwhile.
    this.#ids = this.#read();
    const known = new Set(this.#ids);
    return ids.filter((id) => !known.has(id));
  }

  add(ids: readonly string[]): void {
    const known = new Set(this.#read());
    for (const id of ids) known.add(id);
    this.#ids = [...known].slice(-REMEMBERED);
    try {
      this.#storage?.setItem(this.#key, JSON.stringify(this.#ids));
    } catch {
      // A full or forbidden storage: the server still counts each post once per device.
    }
  }

  #read(): string[] {
    try {
      const value: unknown = JSON.parse(this.#storage?.getItem(this.#key) ?? '[]');
      return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
    } catch {
      return [];
    }
  }
}

/**
 * Watch the first screenful of `list` (its `li[data-post-id]` children) and call `onSeen`
 * with the ids that were at least half on screen, a moment after they were, whether the
 * reader is already there or scrolls down to the list later. Returns the stop function
 * (which hands over what was seen but not yet reported).
 */
export function watchFirstScreen(list: HTMLElement, onSeen: (ids: string[]) => void): () => void {
  const listTop = list.getBoundingClientRect().top;
  const items = Array.from(list.querySelectorAll<HTMLElement>(':scope > li[data-post-id]'));
  const first = new Set(
    firstScreenful(
      items.map((item) => ({
        id: item.dataset.postId ?? '',
        top: item.getBoundingClientRect().top - listTop,
      })),
      window.innerHeight,
    ),
  );
  const seen: string[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (seen.length > 0) onSeen(seen.splice(0));
  };
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        const id = (entry.target as HTMLElement).dataset.postId;
        if (id) seen.push(id);
        observer.unobserve(entry.target);
      }
      clearTimeout(timer);
      timer = setTimeout(flush, 300);
    },
    { threshold: 0.5 },
  );
  for (const item of items) if (first.has(item.dataset.postId ?? '')) observer.observe(item);
  return () => {
    observer.disconnect();
    clearTimeout(timer);
    flush();
  };
}
