/**
 * The live screens as a person sees them (attendee phone, moderator console, wall), plus what
 * a journey needs around them: a talk with its moderator link, more moderator links and
 * devices from the REST API, and plain Node `socket.io-client` connections that act as
 * another phone or another moderator and read the server's stream heads.
 *
 * Controls are found by role and accessible name, in the page's language, from the same
 * message catalogue the app renders.
 */
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { expect } from 'vitest';
import { m } from '@gt/i18n';
import type { CommandAck, CommandName, Result } from '@gt/protocol';
import type { Page } from 'playwright-core';
import { Layout } from './pages.js';

export type ConsoleTab = 'pending' | 'visible' | 'answered' | 'hidden' | 'live';
import { arrangeTalk, post } from './api.js';
import type { ArrangedTalk } from './api.js';

// ── REST ───────────────────────────────────────────────────────────────────────────────────

export interface LiveTalk extends ArrangedTalk {
  moderatorUrl: string;
}

/** An event with one talk, as an organiser makes it, and the talk's moderator link. */
export async function createLiveTalk(
  baseUrl: string,
  { title = 'Trafik på Strandvejen', moderation = 'pre' as 'pre' | 'post' } = {},
): Promise<LiveTalk> {
  const talk = await arrangeTalk(baseUrl, { title, moderation, eventTitle: 'Kulturnatten 2026' });
  const token = encodeURIComponent(talk.moderatorToken);
  return { ...talk, moderatorUrl: `${baseUrl}/moderator/${talk.session.id}?token=${token}` };
}

/** Another moderator link for the same talk (a second moderator). */
export async function createModeratorLink(
  baseUrl: string,
  talk: LiveTalk,
  label: string,
): Promise<string> {
  const created = await post<{ moderatorToken: string }>(
    `${baseUrl}/api/moderator-links`,
    { sessionId: talk.session.id, label },
    talk.organiserToken,
  );
  return created.moderatorToken;
}

export async function registerDevice(baseUrl: string): Promise<string> {
  return (await post<{ deviceToken: string }>(`${baseUrl}/api/devices`, {})).deviceToken;
}

// ── Node sockets ───────────────────────────────────────────────────────────────────────────

/** A Socket.IO client outside the browser: another phone, another moderator. */
export class NodeClient {
  readonly socket: Socket;

  private constructor(socket: Socket) {
    this.socket = socket;
  }

  static async connect(
    baseUrl: string,
    tokens: { device?: string; staff?: string },
  ): Promise<NodeClient> {
    const socket = io(baseUrl, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth: { v: 1, ...tokens },
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    return new NodeClient(socket);
  }

  async send<K extends CommandName>(name: K, payload: unknown): Promise<CommandAck<K>> {
    const result = (await this.socket.timeout(10_000).emitWithAck(name, payload)) as Result<
      CommandAck<K>
    >;
    if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
    return result.data;
  }

  close(): void {
    this.socket.disconnect();
  }
}

let commandCounter = 0;
/** A command id in the server's id pattern, unique within a test run. */
export const commandId = () =>
  `cmd_e2e_${Date.now().toString(36)}_${(commandCounter += 1).toString(36)}`;

/** The server's last sequence number of each stream these tokens may read, right now. */
export async function streamHeads(
  baseUrl: string,
  sessionId: string,
  tokens: { device?: string; staff?: string },
): Promise<{ public: number; staff?: number; private?: number }> {
  const client = await NodeClient.connect(baseUrl, tokens);
  try {
    const ack = await client.send('session:join', { sessionId });
    return {
      public: ack.streams.public.seq,
      staff: ack.streams.staff?.seq,
      private: ack.streams.private?.seq,
    };
  } finally {
    client.close();
  }
}

/** A post's vote count as the server holds it, and whether this browser's device voted. */
export async function storedVote(
  baseUrl: string,
  page: Page,
  sessionId: string,
  postId: string,
): Promise<{ count: number; isMine: boolean }> {
  const device = (await page.context().cookies()).find((c) => c.name === 'gt_device');
  if (!device) throw new Error('the browser has no device cookie');
  const client = await NodeClient.connect(baseUrl, { device: device.value });
  try {
    const ack = await client.send('session:join', { sessionId });
    return { count: ack.counts.votes?.[postId] ?? 0, isMine: ack.myVotes.includes(postId) };
  } finally {
    client.close();
  }
}

/** A reaction's name as the screens say it. */
function reactionLabel(reaction: string, locale: 'da' | 'en'): string {
  const names: Record<string, (inputs: object, options: { locale: 'da' | 'en' }) => string> = {
    applause: m.attendee_reaction_applause,
    heart: m.attendee_reaction_heart,
    agree: m.attendee_reaction_agree,
    disagree: m.attendee_reaction_disagree,
    question: m.attendee_reaction_question,
    laugh: m.attendee_reaction_laugh,
  };
  const name = names[reaction];
  if (!name) throw new Error(`no such reaction: ${reaction}`);
  return name({}, { locale });
}

// ── Pages ──────────────────────────────────────────────────────────────────────────────────

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A message with a {count} placeholder as a pattern that matches any count. */
const withAnyCount = (message: (inputs: { count: string }) => string) =>
  new RegExp(`^${escape(message({ count: '§' })).replace('§', '\\d+')}$`);

/** The root element of a live screen, where it says which sequence numbers it has applied. */
abstract class LiveScreen extends Layout {
  protected abstract readonly rootSelector: string;

  async lastSeq(stream: 'public' | 'private' | 'staff'): Promise<number | null> {
    const value = await this.page
      .locator(this.rootSelector)
      .getAttribute(`data-last-seq-${stream}`);
    return value === null ? null : Number(value);
  }

  /** The live connection's state as the page shows it (online, connecting, offline). */
  async connectionStatus(): Promise<string | null> {
    return this.page.locator('.connection').first().getAttribute('data-status');
  }
}

export class AttendeePage extends LiveScreen {
  protected readonly rootSelector = '.attendee';

  private get t() {
    return { locale: this.locale };
  }

  async goto(baseUrl: string, sessionId: string, { isJavaScriptEnabled = true } = {}) {
    await this.page.goto(`${baseUrl}/s/${sessionId}`);
    if (isJavaScriptEnabled) await this.hydrated();
  }

  get textField() {
    return this.page.getByRole('textbox', { name: m.attendee_text_label({}, this.t) });
  }

  get nameField() {
    return this.page.getByRole('textbox', { name: m.attendee_name_label({}, this.t) });
  }

  get sendButton() {
    return this.page.getByRole('button', { name: m.attendee_submit({}, this.t), exact: true });
  }

  async post(text: string, { kind = 'question' as 'question' | 'idea' } = {}) {
    await this.page
      .getByRole('radio', {
        name:
          kind === 'idea' ? m.attendee_kind_idea({}, this.t) : m.attendee_kind_question({}, this.t),
      })
      .check();
    await this.textField.fill(text);
    await this.sendButton.click();
  }

  get myPosts() {
    return this.page.getByRole('region', { name: m.attendee_my_posts_heading({}, this.t) });
  }

  /** One of this phone's own posts, found by its text. */
  myPost(text: string) {
    return this.myPosts.getByRole('listitem').filter({ hasText: text });
  }

  get roomPosts() {
    return this.page.getByRole('region', { name: m.attendee_posts_heading({}, this.t) });
  }

  /** A post in the room's list, found by its text. */
  roomPost(text: string) {
    return this.roomPosts.getByRole('listitem').filter({ hasText: text });
  }

  /** The texts of the room's list, top to bottom, as shown. */
  async roomTexts(): Promise<string[]> {
    return this.roomPosts.locator('ol > li > p:first-child').allTextContents();
  }

  orderButton(order: 'top' | 'new' | 'fresh') {
    const label = {
      top: m.attendee_order_top,
      new: m.attendee_order_new,
      fresh: m.attendee_order_fresh,
    }[order]({}, this.t);
    return this.roomPosts.getByRole('button', { name: label, exact: true });
  }

  /** The "3 new" button that reveals posts held back while reading. */
  showNewButton(count: number) {
    const label =
      count === 1
        ? m.attendee_show_new_one({}, this.t)
        : m.attendee_show_new({ count: String(count) }, this.t);
    return this.roomPosts.getByRole('button', { name: label, exact: true });
  }

  upvoteButton(text: string) {
    return this.roomPost(text).getByRole('button', { name: m.attendee_upvote({}, this.t) });
  }

  get counter() {
    return this.page.getByText(/^\d+ (af|of) \d+ (tegn|characters)$/);
  }

  /** The duplicate hint under the text field ("Is yours one of these?"). */
  get similarPosts() {
    return this.page.getByRole('region', { name: m.attendee_similar_heading({}, this.t) });
  }

  similarPost(text: string) {
    return this.similarPosts.getByRole('listitem').filter({ hasText: text });
  }
}

export class ModeratorPage extends LiveScreen {
  protected readonly rootSelector = '.console';

  private get t() {
    return { locale: this.locale };
  }

  async goto(url: string) {
    await this.page.goto(url);
    await this.hydrated();
  }

  queue(status: ConsoleTab) {
    const heading = {
      pending: m.moderator_pending_heading,
      visible: m.moderator_visible_heading,
      answered: m.moderator_answered_heading,
      hidden: m.moderator_hidden_heading,
      live: m.moderator_live_heading,
    }[status];
    return this.page.getByRole('region', {
      name: withAnyCount((inputs) => heading(inputs, this.t)),
    });
  }

  /** The link of a tab of the queue ("Venter (3)"). */
  tab(status: ConsoleTab) {
    const label = {
      pending: m.moderator_pending_heading,
      visible: m.moderator_visible_heading,
      answered: m.moderator_answered_heading,
      hidden: m.moderator_hidden_heading,
      live: m.moderator_live_heading,
    }[status];
    return this.page
      .getByRole('navigation', { name: m.moderator_tabs_label({}, this.t) })
      .getByRole('link', { name: withAnyCount((inputs) => label(inputs, this.t)) });
  }

  /** Open a tab of the queue (with or without JavaScript) and wait for its list. */
  async show(status: ConsoleTab) {
    await this.tab(status).click();
    await this.queue(status).waitFor();
  }

  /** A post's card in the tab shown, found by its text. */
  card(status: ConsoleTab, text: string) {
    return this.queue(status).getByRole('article', { name: text });
  }

  /** Open the tab, then press the post's button. */
  async act(
    status: ConsoleTab,
    text: string,
    action: 'approve' | 'highlight' | 'unhighlight' | 'answer' | 'pin' | 'unpin' | 'restore',
  ) {
    const label = {
      approve: m.moderator_approve,
      highlight: m.moderator_highlight,
      unhighlight: m.moderator_unhighlight,
      answer: m.moderator_answer,
      pin: m.moderator_pin,
      unpin: m.moderator_unpin,
      restore: m.moderator_restore,
    }[action]({}, this.t);
    if (!(await this.queue(status).isVisible())) await this.show(status);
    await this.card(status, text).getByRole('button', { name: label, exact: true }).click();
  }

  get searchField() {
    return this.page.getByRole('searchbox', { name: m.moderator_search_label({}, this.t) });
  }

  get floorForm() {
    return this.page.getByRole('region', { name: m.moderator_floor_heading({}, this.t) });
  }

  get floorText() {
    return this.floorForm.getByRole('textbox', { name: m.moderator_floor_text_label({}, this.t) });
  }

  get undoButton() {
    return this.page.getByRole('button', { name: m.moderator_undo({}, this.t), exact: true });
  }

  get onWall() {
    return this.page.getByRole('region', { name: m.moderator_highlighted_heading({}, this.t) });
  }
}

export class WallPage extends LiveScreen {
  protected readonly rootSelector = '.wall';

  /** Open the wall link, with `?theme=` when given (the screen then keeps that theme). */
  async goto(baseUrl: string, sessionId: string, { theme }: { theme?: string } = {}) {
    await this.page.goto(`${baseUrl}/wall/${sessionId}${theme ? `?theme=${theme}` : ''}`);
    await this.hydrated();
  }

  /** The theme the wall is drawn in (light, dark, contrast). */
  theme(): Promise<string | null> {
    return this.page.locator(this.rootSelector).getAttribute('data-theme');
  }

  /** The Screen Wake Lock as the wall holds it (held, released, refused, unsupported). */
  wakeLock(): Promise<string | null> {
    return this.page.locator(this.rootSelector).getAttribute('data-wake-lock');
  }

  get qrCode() {
    return this.page.getByRole('img', { name: /^(QR-kode, der åbner|QR code that opens) / });
  }

  /** Wait until the QR image has loaded and been drawn. */
  async qrLoaded(): Promise<void> {
    await this.qrCode.waitFor();
    await expect
      .poll(() => this.qrCode.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(0);
  }

  /** The short address people type, without the scheme. */
  joinAddress(baseUrl: string, joinCode: string) {
    return this.page.getByText(`${baseUrl.replace(/^https?:\/\//, '')}/j/${joinCode}`, {
      exact: true,
    });
  }

  /** The six-digit code, spaced as on a poster ("123 456"). */
  joinCode(joinCode: string) {
    return this.page.getByText(`${joinCode.slice(0, 3)} ${joinCode.slice(3)}`, { exact: true });
  }

  /** The count shown beside a reaction, as text. */
  reactionCount(reaction: string): Promise<string | null> {
    return this.page
      .getByRole('region', { name: m.wall_reactions_heading({}, { locale: this.locale }) })
      .getByRole('listitem')
      .filter({ has: this.page.getByText(reactionLabel(reaction, this.locale), { exact: true }) })
      .locator('.count')
      .textContent();
  }

  /** The small "reconnecting" mark. */
  get reconnecting() {
    return this.page
      .getByRole('status')
      .getByText(m.wall_reconnecting({}, { locale: this.locale }));
  }

  /** The highlighted post, in large type. */
  get highlighted() {
    return this.page
      .getByRole('region', { name: m.wall_now_heading({}, { locale: this.locale }) })
      .locator('blockquote');
  }

  get next() {
    return this.page.getByRole('region', {
      name: m.wall_next_heading({}, { locale: this.locale }),
    });
  }

  /** The computed font size of the highlighted post, in CSS pixels. */
  async highlightedFontSize(): Promise<number> {
    return this.highlighted.evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
  }
}

/** Wait, generously, until a page has applied exactly the server's head of a stream. */
export async function expectCaughtUp(
  screen: LiveScreen,
  stream: 'public' | 'private' | 'staff',
  head: number | undefined,
) {
  expect(head, `the server has a ${stream} stream here`).toBeTypeOf('number');
  await expect.poll(() => screen.lastSeq(stream), { timeout: 30_000 }).toBe(head);
}
