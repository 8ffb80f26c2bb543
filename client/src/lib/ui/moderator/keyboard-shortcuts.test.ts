import { describe, expect, it } from 'vitest';
import { shortcutFor, shortcutList } from './keyboard-shortcuts.js';
import type { KeyInput } from './keyboard-shortcuts.js';

const key = (k: string, change: Partial<KeyInput> = {}): KeyInput => ({
  key: k,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  target: { tagName: 'ARTICLE' },
  ...change,
});

describe('[MC2] single-key shortcuts in the console (WCAG 2.1.4)', () => {
  it('moves with j/k and the arrows, and acts on the post with one letter', () => {
    expect(shortcutFor(key('j'), true)).toEqual({ kind: 'move', by: 1 });
    expect(shortcutFor(key('ArrowUp'), true)).toEqual({ kind: 'move', by: -1 });
    expect(shortcutFor(key('a'), true)).toEqual({ kind: 'post', action: 'approve' });
    expect(shortcutFor(key('h', { target: { tagName: 'BUTTON' } }), true)).toEqual({
      kind: 'post',
      action: 'hide',
    });
    expect(shortcutFor(key('2'), true)).toEqual({ kind: 'tab', tab: 'visible' });
    expect(shortcutFor(key('5'), true)).toEqual({ kind: 'tab', tab: 'live' });
    expect(shortcutFor(key('u'), true)).toEqual({ kind: 'undo' });
    expect(shortcutFor(key('f'), true)).toEqual({ kind: 'wall', override: 'freeze' });
    expect(shortcutFor(key('q'), true)).toEqual({ kind: 'wall', override: 'qr' });
    expect(shortcutFor(key('?'), true)).toEqual({ kind: 'help' });
  });

  it('never fires in a text field, a choice or an editable element', () => {
    for (const tagName of ['INPUT', 'textarea', 'SELECT'])
      expect(shortcutFor(key('a', { target: { tagName } }), true)).toBeNull();
    for (const type of ['text', 'search', 'radio', 'email'])
      expect(shortcutFor(key('j', { target: { tagName: 'INPUT', type } }), true)).toBeNull();
    // A tick box or a button takes no letters: the card's "select" box is still in the queue.
    expect(shortcutFor(key('a', { target: { tagName: 'INPUT', type: 'checkbox' } }), true)).toEqual(
      { kind: 'post', action: 'approve' },
    );
    expect(
      shortcutFor(key('a', { target: { tagName: 'DIV', isContentEditable: true } }), true),
    ).toBeNull();
  });

  it('never fires with a modifier held, and not at all when turned off', () => {
    expect(shortcutFor(key('a', { ctrlKey: true }), true)).toBeNull();
    expect(shortcutFor(key('a', { altKey: true }), true)).toBeNull();
    expect(shortcutFor(key('a', { metaKey: true }), true)).toBeNull();
    expect(shortcutFor(key('a'), false)).toBeNull();
    expect(shortcutFor(key('?'), false)).toBeNull();
    expect(shortcutFor(key('z'), true)).toBeNull();
    expect(shortcutFor(key('6'), true)).toBeNull();
  });

  it('lists every key it answers to in the help overlay', () => {
    const listed = shortcutList().flatMap((row) => row.keys);
    for (const k of listed.filter((k) => k.length === 1 && !'↓↑'.includes(k)))
      expect(shortcutFor(key(k), true), k).not.toBeNull();
    for (const k of 'abcdefghijklmnopqrstuvwxyz0123456789/?')
      if (shortcutFor(key(k), true)) expect(listed, k).toContain(k);
  });
});
