/**
 * The console's single-key shortcuts (issue 5 "keyboard first, safely"; WCAG 2.1.4 Character
 * Key Shortcuts): they act only while focus is in the queue and never while it is in a text
 * field, a choice or a list box, they never fire with Ctrl, Alt or Meta held (those belong to
 * the browser and assistive technology), and a setting turns them all off.
 *
 * The keys are the same in Danish and English, so a printed crib sheet fits every console.
 * The wall's emergency keys (f: freeze, q: only the QR) work anywhere on the console but in a
 * text field: something slipped onto the wall, and focus may be anywhere.
 */
import { m } from '@gt/i18n';
import type { ConsoleTab } from '../../session/console-views.js';
import { CONSOLE_TABS } from '../../session/console-views.js';

export type ShortcutCommand =
  | { kind: 'move'; by: 1 | -1 }
  | { kind: 'tab'; tab: ConsoleTab }
  | {
      kind: 'post';
      action: 'approve' | 'hide' | 'restore' | 'answer' | 'highlight' | 'pin' | 'edit' | 'select';
    }
  | { kind: 'wall'; override: 'freeze' | 'qr' }
  | { kind: 'undo' }
  | { kind: 'search' }
  | { kind: 'help' };

const POST_KEYS: Record<string, Extract<ShortcutCommand, { kind: 'post' }>['action']> = {
  a: 'approve',
  h: 'hide',
  r: 'restore',
  b: 'answer',
  w: 'highlight',
  p: 'pin',
  e: 'edit',
  x: 'select',
};

/** The part of a KeyboardEvent the decision needs (so it is testable without a DOM). */
export interface KeyInput {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  /** The element the key went to. */
  target: { tagName: string; isContentEditable?: boolean; type?: string } | null;
}

/** Inputs that are buttons or a tick box: a letter typed on them means nothing to them. */
const NON_TYPING_INPUTS = new Set(['checkbox', 'button', 'submit', 'reset']);

/**
 * Where a typed key belongs to the element: text fields, lists and radio groups (whose arrow
 * keys choose), and anything editable. Never a command there.
 */
export function isTypingTarget(target: KeyInput['target']): boolean {
  if (!target) return false;
  if (target.isContentEditable === true) return true;
  const tag = target.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  return tag === 'INPUT' && !NON_TYPING_INPUTS.has((target.type ?? 'text').toLowerCase());
}

/**
 * What a key pressed in the queue means, or null: not a shortcut, shortcuts are off, a
 * modifier is held, or the key went to a text field.
 */
export function shortcutFor(input: KeyInput, isOn: boolean): ShortcutCommand | null {
  if (!isOn || input.ctrlKey || input.altKey || input.metaKey) return null;
  if (isTypingTarget(input.target)) return null;
  const key = input.key;
  if (key === 'j' || key === 'ArrowDown') return { kind: 'move', by: 1 };
  if (key === 'k' || key === 'ArrowUp') return { kind: 'move', by: -1 };
  if (key === 'u') return { kind: 'undo' };
  if (key === 'f') return { kind: 'wall', override: 'freeze' };
  if (key === 'q') return { kind: 'wall', override: 'qr' };
  if (key === '/') return { kind: 'search' };
  if (key === '?') return { kind: 'help' };
  const digit = Number(key);
  if (Number.isInteger(digit) && digit >= 1 && digit <= CONSOLE_TABS.length)
    return { kind: 'tab', tab: CONSOLE_TABS[digit - 1]! };
  const action = POST_KEYS[key];
  return action ? { kind: 'post', action } : null;
}

/** The help overlay's rows: the keys as printed, and what they do in the page's language. */
export function shortcutList(): { keys: string[]; does: string }[] {
  return [
    { keys: ['j', 'k', '↓', '↑'], does: m.moderator_key_move() },
    { keys: ['1', '2', '3', '4', '5'], does: m.moderator_key_tabs() },
    { keys: ['a'], does: m.moderator_key_approve() },
    { keys: ['h'], does: m.moderator_key_hide() },
    { keys: ['r'], does: m.moderator_key_restore() },
    { keys: ['b'], does: m.moderator_key_answer() },
    { keys: ['w'], does: m.moderator_key_highlight() },
    { keys: ['p'], does: m.moderator_key_pin() },
    { keys: ['e'], does: m.moderator_key_edit() },
    { keys: ['x'], does: m.moderator_key_select() },
    { keys: ['u'], does: m.moderator_key_undo() },
    { keys: ['f'], does: m.moderator_key_freeze() },
    { keys: ['q'], does: m.moderator_key_qr() },
    { keys: ['/'], does: m.moderator_key_search() },
    { keys: ['?'], does: m.moderator_key_help() },
  ];
}
