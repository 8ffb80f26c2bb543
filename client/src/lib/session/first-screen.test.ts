import { describe, expect, it } from 'vitest';
import { firstScreenful, MAX_REPORTED, ReportedPosts } from './first-screen.js';

/** localStorage as the browser has it, for Node. */
class MemoryStorage implements Storage {
  #items = new Map<string, string>();
  get length() {
    return this.#items.size;
  }
  clear() {
    this.#items.clear();
  }
  getItem(key: string) {
    return this.#items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.#items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.#items.delete(key);
  }
  setItem(key: string, value: string) {
    this.#items.set(key, value);
  }
}

describe('[K3] the first screenful of an attendee’s list', () => {
  it('is the posts that start within one viewport height of the list’s top, at most 12', () => {
    const placed = [0, 150, 300, 450, 600, 750, 900].map((top, i) => ({ id: `p${i}`, top }));
    expect(firstScreenful(placed, 700)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    const many = Array.from({ length: 30 }, (_, i) => ({ id: `q${i}`, top: i * 10 }));
    expect(firstScreenful(many, 800)).toHaveLength(MAX_REPORTED);
  });

  it('is reported once per post per device, across reloads and tabs, and per session', () => {
    const storage = new MemoryStorage();
    const tab = new ReportedPosts('ses_1', storage);
    expect(tab.unreported(['a', 'b'])).toEqual(['a', 'b']);
    tab.add(['a', 'b']);
    const otherTab = new ReportedPosts('ses_1', storage);
    expect(otherTab.unreported(['b', 'c', 'a'])).toEqual(['c']);
    otherTab.add(['c']);
    expect(tab.unreported(['c', 'd'])).toEqual(['d']);
    expect(new ReportedPosts('ses_2', storage).unreported(['a'])).toEqual(['a']);
  });

  it('still works when the storage refuses or holds rubbish', () => {
    const storage = new MemoryStorage();
    storage.setItem('gt:reported:v1:ses_1', '{not json');
    const reported = new ReportedPosts('ses_1', storage);
    expect(reported.unreported(['a'])).toEqual(['a']);
    expect(new ReportedPosts('ses_1', null).unreported(['a'])).toEqual(['a']);
  });
});
