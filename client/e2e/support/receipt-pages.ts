/**
 * Following a topic and the receipt, as a person sees them: the topics page with one sign-up
 * form per topic, and the receipt page with the posts' status, the follow-ups and the
 * personal link. Controls are found by role and accessible name in the page's language.
 */
import { m } from '@gt/i18n';
import type { TopicWire } from '@gt/protocol';
import { Layout } from './pages.js';
import { post } from './api.js';
import type { ArrangedTalk } from './api.js';

/** A topic of the talk's event (or of the talk itself), made through the API as an organiser. */
export async function createTopic(
  baseUrl: string,
  talk: ArrangedTalk,
  {
    title = 'Cykelstier i Gentofte',
    contactName = 'Mette Holm, sparringsagent',
    ofSession = false,
    retentionDays = 180,
  } = {},
): Promise<TopicWire> {
  return post<TopicWire>(
    `${baseUrl}/api/topics`,
    {
      eventId: talk.session.eventId,
      sessionId: ofSession ? talk.session.id : null,
      title,
      description: 'Hvor skal de næste cykelstier ligge?',
      contactName,
      contactEmail: 'mette.holm@gentofte.example',
      retentionDays,
    },
    talk.organiserToken,
  );
}

export interface SignUp {
  name: string;
  email?: string;
  phone?: string;
  age?: 'self' | 'parent';
  hasConsented?: boolean;
}

export class TopicsPage extends Layout {
  private get t() {
    return { locale: this.locale };
  }

  async goto(baseUrl: string, sessionId: string, { isJavaScriptEnabled = true } = {}) {
    await this.page.goto(`${baseUrl}/s/${sessionId}/topics`);
    if (isJavaScriptEnabled) await this.hydrated();
  }

  /** One topic's card: its heading names it. */
  topic(title: string) {
    return this.page.getByRole('region', { name: title, exact: true });
  }

  field(title: string, which: 'name' | 'email' | 'phone') {
    const label = {
      name: m.topics_name_label,
      email: m.topics_email_label,
      phone: m.topics_phone_label,
    }[which]({}, this.t);
    return this.topic(title).getByLabel(label, { exact: true });
  }

  ageChoice(title: string, age: 'self' | 'parent') {
    return this.topic(title).getByRole('radio', {
      name: age === 'self' ? m.topics_age_self({}, this.t) : m.topics_age_parent({}, this.t),
    });
  }

  consentBox(title: string) {
    return this.topic(title).getByRole('checkbox');
  }

  submitButton(title: string) {
    return this.topic(title).getByRole('button', { name: m.topics_submit({}, this.t) });
  }

  async fill(title: string, signUp: SignUp) {
    await this.field(title, 'name').fill(signUp.name);
    await this.field(title, 'email').fill(signUp.email ?? '');
    await this.field(title, 'phone').fill(signUp.phone ?? '');
    if (signUp.age) await this.ageChoice(title, signUp.age).check();
    if (signUp.hasConsented) await this.consentBox(title).check();
  }

  async followed(title: string) {
    await this.page.getByRole('status').getByText(m.topics_followed({ title }, this.t)).waitFor();
  }

  get receiptLink() {
    return this.page.getByRole('link', { name: m.topics_receipt_link({}, this.t) });
  }
}

export class ReceiptPage extends Layout {
  private get t() {
    return { locale: this.locale };
  }

  get posts() {
    return this.page.getByRole('region', { name: m.receipt_posts_heading({}, this.t) });
  }

  post(text: string) {
    return this.posts.getByRole('listitem').filter({ hasText: text });
  }

  get followUps() {
    return this.page.getByRole('region', { name: m.receipt_followups_heading({}, this.t) });
  }

  followUp(topicTitle: string) {
    return this.followUps.getByRole('listitem').filter({ hasText: topicTitle });
  }

  withdrawButton(topicTitle: string) {
    return this.followUp(topicTitle).getByRole('button', {
      name: m.receipt_withdraw({ title: topicTitle }, this.t),
    });
  }

  get personalLink() {
    return this.page
      .getByRole('region', { name: m.receipt_link_heading({}, this.t) })
      .locator('code');
  }

  get qrCode() {
    return this.page.getByRole('img', { name: m.receipt_qr_alt({}, this.t) });
  }
}
