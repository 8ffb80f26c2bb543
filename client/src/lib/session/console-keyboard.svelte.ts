/**
 * The moderator console's keyboard (issue 5 "keyboard first, safely"): what a key means
 * (ui/moderator/keyboard-shortcuts.ts decides, WCAG 2.1.4) carried out on the session, and
 * where the focus goes afterwards. Queue keys act on the card that holds the focus; the
 * wall's emergency keys work anywhere on the console but in a text field or the help.
 *
 * The page's elements stay the components' business: they hand in a small `ConsoleKeyboardUi`
 * (the cards in order, the list's heading, the search field, the help, the tab switch), so
 * this class never queries outside the queue it is given.
 */
import { tick } from 'svelte';
import { shortcutFor } from '../ui/moderator/keyboard-shortcuts.js';
import type { KeyInput, ShortcutCommand } from '../ui/moderator/keyboard-shortcuts.js';
import type { ConsoleTab } from './console-views.js';
import type { ModeratorSession } from './moderator-session.svelte.js';
import { shortcutAction } from './post-actions.js';

export interface ConsoleKeyboardUi {
  /** The queue's cards, in the order shown. */
  cards(): HTMLElement[];
  /** Focus the queue's heading (the list is empty, or its last card left). */
  focusHeading(): void;
  focusSearch(): void;
  openHelp(): void;
  /** Show a tab (its address too); resolves once it is rendered. */
  showTab(tab: ConsoleTab): Promise<void>;
  /** A dialog (the shortcut help) is open: the window's keys belong to it. */
  isDialogOpen(): boolean;
}

export class ConsoleKeyboard {
  readonly #s: ModeratorSession;
  readonly #ui: ConsoleKeyboardUi;

  constructor(session: ModeratorSession, ui: ConsoleKeyboardUi) {
    this.#s = session;
    this.#ui = ui;
  }

  /** A key pressed with the focus in the queue. */
  onQueueKey = (event: KeyboardEvent): void => {
    if (event.defaultPrevented) return;
    const command = shortcutFor(keyInput(event), this.#s.isShortcutsOn);
    // The wall's keys are the window's (they work anywhere on the console).
    if (!command || command.kind === 'wall') return;
    // A focused summary or button answers Enter and Space itself; shortcuts are letters.
    event.preventDefault();
    void this.#run(command, currentCard(event.target));
  };

  /** The wall's emergency keys: anywhere on the console but in a text field or the help. */
  onWindowKey = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || this.#ui.isDialogOpen()) return;
    const command = shortcutFor(keyInput(event), this.#s.isShortcutsOn);
    if (command?.kind !== 'wall' || !this.#s.isStaff) return;
    event.preventDefault();
    void this.#s.toggleWallOverride(command.override);
  };

  /** A card's own form was accepted: keep the keyboard where it was. */
  onCardActed = (card: HTMLElement): void => {
    const index = this.#ui.cards().indexOf(card);
    void this.#keepFocus(Math.max(0, index), card);
  };

  /**
   * After an action the card may leave this tab (an approved post is no longer pending): keep
   * the keyboard where it was, on the card now at that place, or on the list's heading.
   */
  async #keepFocus(index: number, card: HTMLElement): Promise<void> {
    await tick();
    if (card.isConnected) {
      if (!card.contains(document.activeElement)) card.focus();
      return;
    }
    const all = this.#ui.cards();
    const next = all[Math.min(index, all.length - 1)];
    if (next) next.focus();
    else this.#ui.focusHeading();
  }

  async #run(command: ShortcutCommand, card: HTMLElement | null): Promise<void> {
    const s = this.#s;
    const all = this.#ui.cards();
    const index = card ? all.indexOf(card) : -1;
    switch (command.kind) {
      case 'move': {
        const next = all[index < 0 ? 0 : Math.min(all.length - 1, Math.max(0, index + command.by))];
        next?.focus();
        return;
      }
      case 'tab': {
        await this.#ui.showTab(command.tab);
        const first = this.#ui.cards()[0];
        if (first) first.focus();
        else this.#ui.focusHeading();
        return;
      }
      case 'undo':
        await s.undoLast();
        return;
      case 'search':
        this.#ui.focusSearch();
        return;
      case 'help':
        this.#ui.openHelp();
        return;
      case 'wall':
        return;
      case 'post':
        break;
    }
    if (!card) return;
    const post = s.post(card.dataset.postId ?? '');
    if (!post || s.isBusy(post.id)) return;
    const ref = { id: post.id, version: post.version };
    let done: Promise<boolean> | null = null;
    switch (command.action) {
      case 'approve':
      case 'restore':
      case 'answer':
      case 'highlight':
      case 'pin': {
        // What the card offers for this post (core's rule), or nothing.
        const action = shortcutAction(post, command.action);
        if (action) done = s[action](ref);
        break;
      }
      case 'select':
        s.toggleSelected(post.id);
        return;
      case 'hide':
      case 'edit': {
        const details = card.querySelector<HTMLDetailsElement>(
          `[data-disclosure="${command.action}"]`,
        );
        if (!details) return;
        details.open = true;
        await tick();
        details
          .querySelector<HTMLElement>('input:checked, textarea, input:not([type="hidden"])')
          ?.focus();
        return;
      }
    }
    if (done && (await done)) void this.#keepFocus(index, card);
  }
}

function keyInput(event: KeyboardEvent): KeyInput {
  return {
    key: event.key,
    ctrlKey: event.ctrlKey,
    altKey: event.altKey,
    metaKey: event.metaKey,
    target: event.target instanceof HTMLElement ? event.target : null,
  };
}

/** The card that holds the keyboard focus, if focus is in one. */
function currentCard(target: EventTarget | null): HTMLElement | null {
  return target instanceof Element ? target.closest<HTMLElement>('[data-post-card]') : null;
}
