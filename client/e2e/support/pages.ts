/**
 * Page objects: what a person sees and does on each screen, with controls found by role and
 * accessible name in the page's language (the names come from the same message catalogue
 * the app renders, so a journey can run in Danish and in English).
 */
import { m } from '@gt/i18n';
import type { Locale } from '@gt/i18n/runtime';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  laptop: { width: 1366, height: 768 },
} as const;

const LANGUAGE_NAMES: Record<Locale, string> = { da: 'Dansk', en: 'English' };

/** Parts of every page: the language switch, the skip link, hydration. */
export class Layout {
  constructor(
    readonly page: Page,
    public locale: Locale = 'da',
  ) {}

  /** With JavaScript, wait until the root layout has hydrated (it sets data-hydrated). */
  async hydrated(): Promise<void> {
    await this.page.locator('body[data-hydrated="true"]').waitFor({ timeout: 15_000 });
  }

  async htmlLang(): Promise<string | null> {
    return this.page.locator('html').getAttribute('lang');
  }

  /** The switch offers the other language, named in that language. */
  languageSwitch(to: Locale) {
    return this.page.getByRole('button', { name: LANGUAGE_NAMES[to], exact: true });
  }

  /** Switch with the button at the top of the page; works with and without JavaScript. */
  async switchLanguage(to: Locale, { isJavaScriptEnabled = true } = {}): Promise<void> {
    await this.languageSwitch(to).click();
    // The same address reloads: wait for the new language rather than for a URL change.
    await expect.poll(() => this.htmlLang(), { timeout: 15_000 }).toBe(to);
    this.locale = to;
    if (isJavaScriptEnabled) await this.hydrated();
  }

  heading(name: string) {
    return this.page.getByRole('heading', { name, exact: true });
  }
}

export class FrontPage extends Layout {
  async goto(baseUrl: string, { isJavaScriptEnabled = true } = {}) {
    await this.page.goto(`${baseUrl}/`);
    if (isJavaScriptEnabled) await this.hydrated();
  }

  get codeField() {
    return this.page.getByRole('textbox', {
      name: m.join_code_label({}, { locale: this.locale }),
    });
  }

  get joinButton() {
    return this.page.getByRole('button', {
      name: m.join_submit({}, { locale: this.locale }),
      exact: true,
    });
  }

  async join(code: string) {
    await this.codeField.fill(code);
    await this.joinButton.click();
  }

  notFoundError(typed: string) {
    return this.page.getByText(m.join_error_not_found({ code: typed }, { locale: this.locale }));
  }
}

export interface CreatedTalk {
  code: string;
  joinUrl: string;
}

export class OrganiserPage extends Layout {
  async goto(baseUrl: string, { isJavaScriptEnabled = true } = {}) {
    await this.page.goto(`${baseUrl}/organiser`);
    if (isJavaScriptEnabled) await this.hydrated();
  }

  async logIn(email: string, password: string) {
    const t = { locale: this.locale };
    await this.page.getByRole('textbox', { name: m.login_email({}, t) }).fill(email);
    await this.page.getByLabel(m.login_password({}, t), { exact: true }).fill(password);
    await this.page.getByRole('button', { name: m.login_submit({}, t), exact: true }).click();
    await this.heading(m.events_heading({}, t)).waitFor();
  }

  async createEvent(title: string) {
    const t = { locale: this.locale };
    await this.page.getByRole('textbox', { name: m.event_title_label({}, t) }).fill(title);
    await this.page
      .getByRole('button', { name: m.event_create_submit({}, t), exact: true })
      .click();
    await this.page.getByRole('status').getByText(m.event_created({ title }, t)).waitFor();
  }

  /**
   * Create a talk through the form. `hideVotes` and `reactions` set the talk's defaults; left
   * out, the form's own defaults stand.
   */
  async createTalk(
    eventTitle: string,
    title: string,
    moderation: 'pre' | 'post',
    { hideVotes, reactions }: { hideVotes?: boolean; reactions?: readonly string[] } = {},
  ) {
    const t = { locale: this.locale };
    await this.page
      .getByRole('combobox', { name: m.session_event_label({}, t) })
      .selectOption({ label: eventTitle });
    await this.page.getByRole('textbox', { name: m.session_title_label({}, t) }).fill(title);
    await this.page
      .getByRole('radio', {
        name:
          moderation === 'pre' ? m.session_moderation_pre({}, t) : m.session_moderation_post({}, t),
      })
      .check();
    if (hideVotes !== undefined)
      await this.page
        .getByRole('checkbox', { name: m.session_hide_votes({}, t) })
        .setChecked(hideVotes);
    if (reactions !== undefined) {
      const group = this.page.getByRole('group', { name: m.session_reactions_legend({}, t) });
      for (const box of await group.getByRole('checkbox').all())
        await box.setChecked(reactions.includes((await box.getAttribute('value')) ?? ''));
    }
    await this.page
      .getByRole('button', { name: m.session_create_submit({}, t), exact: true })
      .click();
    await this.heading(m.session_created_heading({ title }, t)).waitFor();
  }

  /** The panel shown for the talk just created. */
  createdTalk(title: string) {
    return this.page.getByRole('region', {
      name: m.session_created_heading({ title }, { locale: this.locale }),
    });
  }

  async readCreatedTalk(title: string): Promise<CreatedTalk> {
    const panel = this.createdTalk(title);
    const shown = (await panel.getByRole('definition').first().textContent()) ?? '';
    const joinUrl =
      (await panel.getByRole('link', { name: /\/j\/[0-9]{6}$/ }).getAttribute('href')) ?? '';
    return { code: shown.replace(/\s/g, ''), joinUrl };
  }

  /** A talk in the list of an event's talks, found by its title. */
  talk(title: string) {
    return this.page.getByRole('article', { name: title, exact: true });
  }

  /** Issue another moderator link for a talk; resolves to its address, shown this once. */
  async issueLink(talkTitle: string, label: string): Promise<string> {
    const t = { locale: this.locale };
    const talk = this.talk(talkTitle);
    await talk.getByRole('textbox', { name: m.talk_link_label({}, t) }).fill(label);
    await talk.getByRole('button', { name: m.talk_link_issue({}, t), exact: true }).click();
    const issued = talk.getByRole('status').filter({ hasText: m.talk_link_issued({ label }, t) });
    await issued.waitFor();
    return (await issued.getByRole('link').getAttribute('href')) ?? '';
  }

  async revokeLink(talkTitle: string, label: string) {
    const t = { locale: this.locale };
    await this.talk(talkTitle)
      .getByRole('button', { name: m.talk_link_revoke({ label }, t), exact: true })
      .click();
    await this.page
      .getByRole('status')
      .getByText(m.talk_link_revoked_notice({ label }, t))
      .waitFor();
  }

  /** The QR image of the created talk, once the browser has loaded and decoded it. */
  async qrImageSize(title: string): Promise<number> {
    const image = this.createdTalk(title).getByRole('img');
    await expect
      .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);
    return image.evaluate((img: HTMLImageElement) => img.naturalWidth);
  }
}

/** [O2]-[O5] The organiser page's "People" (admins) and "Your account" parts. */
export class PeoplePart {
  constructor(readonly organiser: OrganiserPage) {}

  get #t() {
    return { locale: this.organiser.locale };
  }

  get region() {
    return this.organiser.page.getByRole('region', { name: m.people_heading({}, this.#t) });
  }

  get account() {
    return this.organiser.page.getByRole('region', { name: m.account_heading({}, this.#t) });
  }

  /** Invite `email` with `role`; resolves to the one-time link, shown this once. */
  async invite(email: string, role: 'admin' | 'organiser' | 'viewer'): Promise<string> {
    const t = this.#t;
    const form = this.region.getByRole('form', { name: m.invite_heading({}, t) });
    await form.getByRole('textbox', { name: m.invite_email({}, t) }).fill(email);
    const roleName = { admin: m.role_admin, organiser: m.role_organiser, viewer: m.role_viewer }[
      role
    ]({}, t);
    await form.getByRole('radio', { name: roleName, exact: true }).check();
    await form.getByRole('button', { name: m.invite_submit({}, t), exact: true }).click();
    const shown = this.region
      .getByRole('status')
      .filter({ hasText: m.invite_created({ email }, t) });
    await shown.waitFor();
    return (await shown.getByRole('link').getAttribute('href')) ?? '';
  }

  member(email: string) {
    return this.region
      .getByRole('list', { name: m.people_members_heading({}, this.#t) })
      .getByRole('listitem')
      .filter({ hasText: email });
  }

  async remove(email: string) {
    const t = this.#t;
    await this.region
      .getByRole('button', { name: m.people_remove({ email }, t), exact: true })
      .click();
    await this.region.getByRole('status').getByText(m.people_removed({ email }, t)).waitFor();
  }

  async logOut() {
    await this.organiser.page
      .getByRole('button', { name: m.logout_submit({}, this.#t), exact: true })
      .click();
    await this.organiser.heading(m.login_heading({}, this.#t)).waitFor();
  }
}

/** [O3] An invitation link: it opens /organiser with the invitation on top. */
export class InvitationPage extends Layout {
  async goto(url: string, { isJavaScriptEnabled = true } = {}) {
    await this.page.goto(url);
    await this.page.waitForURL(/\/organiser$/);
    if (isJavaScriptEnabled) await this.hydrated();
  }

  get passwordField() {
    return this.page.getByLabel(m.invite_page_password_new({}, { locale: this.locale }), {
      exact: true,
    });
  }

  /** Set the new account's password; the organiser page comes back, logged in. */
  async accept(password: string) {
    const t = { locale: this.locale };
    await this.passwordField.fill(password);
    await this.page.getByRole('button', { name: m.invite_page_submit({}, t), exact: true }).click();
    await this.heading(m.events_heading({}, t)).waitFor();
  }
}
