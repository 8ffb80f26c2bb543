import { describe, expect, it } from 'vitest';
import { postWire } from '../realtime/testing/post-wire.js';
import { cardActions, shortcutAction, toggleAction } from './post-actions.js';

describe('the actions the console offers for a post', () => {
  it('[M1] a pending post: approve only (it is not public, so no highlight or pin)', () => {
    expect(cardActions(postWire('pst_1', { status: 'pending' }))).toEqual(['approve']);
  });

  it('[M1] a visible post: highlight, answer, pin, in that order', () => {
    expect(cardActions(postWire('pst_1', { status: 'visible' }))).toEqual([
      'highlight',
      'answer',
      'pin',
    ]);
  });

  it('[M1] an answered post on the wall and pinned: take both away', () => {
    const post = postWire('pst_1', { status: 'answered', isHighlighted: true, isPinned: true });
    expect(cardActions(post)).toEqual(['unhighlight', 'unpin']);
  });

  it('[M13] a hidden post is restored, unless it was merged into another', () => {
    expect(cardActions(postWire('pst_1', { status: 'hidden' }))).toEqual(['restore']);
    expect(cardActions(postWire('pst_1', { status: 'hidden', mergedInto: 'pst_target' }))).toEqual(
      [],
    );
  });

  it('a shortcut acts only where the card offers the same action', () => {
    const pending = postWire('pst_1', { status: 'pending' });
    expect(shortcutAction(pending, 'approve')).toBe('approve');
    expect(shortcutAction(pending, 'answer')).toBeNull();
    expect(shortcutAction(pending, 'highlight')).toBeNull();
    const visible = postWire('pst_1', { status: 'visible', isPinned: true });
    expect(shortcutAction(visible, 'pin')).toBe('unpin');
    expect(shortcutAction(visible, 'restore')).toBeNull();
    expect(toggleAction(visible, 'highlight')).toBe('highlight');
  });
});
