// [O2]-[O6] The people of an organisation in the browser: the admin invites an organiser,
// the link opened in a second browser sets a password, the new organiser logs in and sees the
// organisation's events; the admin removes them and their open page loses access. Every new
// screen passes axe in both languages at phone and laptop size; the login form shows the
// throttling wait. With SCREENSHOT_DIR set, the new screens are saved there as PNG files.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { m } from '@gt/i18n';
import { cookieName } from '@gt/i18n/runtime';
import type { Locale } from '@gt/i18n/runtime';
import { expectAccessible, expectAccessibleWithoutScripts } from './support/axe.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import { InvitationPage, OrganiserPage, PeoplePart, VIEWPORTS } from './support/pages.js';
import { ORGANISER } from './support/server.js';

const baseUrl = inject('baseUrl');
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

async function open(size: keyof typeof VIEWPORTS, options: { javaScriptEnabled?: boolean } = {}) {
  const context = await browser.newContext({ viewport: VIEWPORTS[size], ...options });
  contexts.push(context);
  return context.newPage();
}

const unique = () => Math.random().toString(36).slice(2, 8);

async function screenshot(page: Page, name: string) {
  const dir = process.env.SCREENSHOT_DIR;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

/** The admin, logged in on /organiser in `locale`. */
async function admin(size: keyof typeof VIEWPORTS, locale: Locale = 'da') {
  const organiser = new OrganiserPage(await open(size));
  await organiser.goto(baseUrl);
  if (locale !== 'da') await organiser.switchLanguage(locale);
  await organiser.logIn(ORGANISER.email, ORGANISER.password);
  return { organiser, people: new PeoplePart(organiser) };
}

describeInBrowser('[O2]-[O5] the admin brings an organiser in, and takes them out again', () => {
  it('invites an organiser; the link in a second browser sets the password; they see the events, log in again, and lose access when removed', async () => {
    const { organiser, people } = await admin('laptop');
    const eventTitle = `Ældrerådets temadag ${unique()}`;
    await organiser.createEvent(eventTitle);
    const email = `ny-arrangoer-${unique()}@gentofte.example`;
    const link = await people.invite(email, 'organiser');
    expect(link).toMatch(new RegExp(`^${baseUrl}/invite/[A-Za-z0-9_-]{32}$`));
    await expectAccessible(organiser.page, 'organiser page with an invitation link shown');
    await people.region.getByText(m.invitation_line({ email, role: m.role_organiser() })).waitFor();

    // The invitee, in a browser of their own.
    const invitee = new InvitationPage(await open('phone'));
    await invitee.goto(link);
    await invitee.heading(m.invite_page_heading({ organisation: 'Gentofte Kommune' })).waitFor();
    await expectAccessible(invitee.page, 'invitation page');
    await invitee.passwordField.fill('kort');
    await invitee.page.getByRole('button', { name: m.invite_page_submit(), exact: true }).click();
    await invitee.page.getByText(m.password_error_short({ min: 10 })).waitFor();
    const password = 'en lang og god adgangskode';
    await invitee.accept(password);
    await invitee.page.waitForURL(`${baseUrl}/organiser`);
    const theirs = new OrganiserPage(invitee.page);
    await theirs.heading(eventTitle).waitFor();
    // An organiser sees no people, only their own account.
    expect(await new PeoplePart(theirs).region.count()).toBe(0);
    await new PeoplePart(theirs).account.getByText(email).waitFor();

    // The link is used now; logging in again works with the password set.
    await invitee.goto(link);
    await invitee.page.getByText(m.invite_page_used()).waitFor();
    await theirs.goto(baseUrl);
    await new PeoplePart(theirs).logOut();
    await theirs.logIn(email, password);
    await theirs.heading(eventTitle).waitFor();

    // The admin removes them: their open page loses access at its next request.
    await organiser.goto(baseUrl);
    await people.member(email).waitFor();
    await people.remove(email);
    expect(await people.member(email).count()).toBe(0);
    await theirs.page
      .getByRole('textbox', { name: m.event_title_label() })
      .fill('Et arrangement mere');
    await theirs.page.getByRole('button', { name: m.event_create_submit(), exact: true }).click();
    await theirs.page.getByText(m.login_expired()).first().waitFor();
    await theirs.page.reload();
    await theirs.heading(m.login_heading()).waitFor();
    expect(await theirs.page.getByText(eventTitle).count()).toBe(0);
  });

  it('[O6] the login form says how long to wait after too many wrong passwords', async () => {
    const { people } = await admin('laptop');
    const email = `gaet-${unique()}@gentofte.example`;
    const link = await people.invite(email, 'viewer');
    const invitee = new InvitationPage(await open('laptop'));
    await invitee.goto(link);
    await invitee.accept('den rigtige adgangskode');
    await invitee.page.waitForURL(`${baseUrl}/organiser`);
    const page = new OrganiserPage(await open('phone'));
    await page.goto(baseUrl);
    const tryPassword = async (password: string) => {
      await page.page.getByRole('textbox', { name: m.login_email() }).fill(email);
      await page.page.getByLabel(m.login_password(), { exact: true }).fill(password);
      await page.page.getByRole('button', { name: m.login_submit(), exact: true }).click();
    };
    for (let i = 0; i < 5; i++) {
      await tryPassword(`forkert ${i}`);
      await page.page.getByText(m.login_error_wrong()).waitFor();
    }
    await tryPassword('forkert igen');
    await page.page.getByText(m.login_error_throttled({ minutes: 15 })).waitFor();
    expect(await page.page.getByRole('textbox', { name: m.login_email() }).inputValue()).toBe(
      email,
    );
    await expectAccessible(page.page, 'login form with the throttling wait');
    await screenshot(page.page, 'login-throttled-phone-da');
  });
});

const screens = (['phone', 'laptop'] as const).flatMap((size) =>
  (['da', 'en'] as const).map((locale) => ({ size, locale })),
);

describeInBrowser('[O2] [O3] the new screens are accessible', () => {
  it.each(screens)(
    'on a $size in $locale: the people and account parts, an open invitation, a withdrawn one, and the invitation page without JavaScript',
    async ({ size, locale }: { size: keyof typeof VIEWPORTS; locale: Locale }) => {
      const t = { locale };
      const { organiser, people } = await admin(size, locale);
      const open1 = await people.invite(`aaben-${unique()}@gentofte.example`, 'viewer');
      const withdrawnEmail = `tilbage-${unique()}@gentofte.example`;
      const withdrawn = await people.invite(withdrawnEmail, 'admin');
      await people.region
        .getByRole('button', {
          name: m.invitation_revoke({ email: withdrawnEmail }, t),
          exact: true,
        })
        .click();
      await people.region
        .getByRole('status')
        .getByText(m.invitation_revoked({ email: withdrawnEmail }, t))
        .waitFor();
      await people.account.waitFor();
      await expectAccessible(organiser.page, `organiser people (${size}, ${locale})`);
      await screenshot(organiser.page, `organiser-people-${size}-${locale}`);

      const invitation = new InvitationPage(organiser.page, locale);
      await invitation.goto(open1);
      await invitation
        .heading(m.invite_page_heading({ organisation: 'Gentofte Kommune' }, t))
        .waitFor();
      await expectAccessible(organiser.page, `invitation (${size}, ${locale})`);
      await screenshot(organiser.page, `invitation-${size}-${locale}`);
      await invitation.goto(withdrawn);
      await organiser.page.getByText(m.invite_page_revoked({}, t)).waitFor();
      await expectAccessible(organiser.page, `withdrawn invitation (${size}, ${locale})`);
      await screenshot(organiser.page, `invitation-withdrawn-${size}-${locale}`);

      // Without JavaScript the invitation page is the same form, posted plainly.
      const plain = new InvitationPage(await open(size, { javaScriptEnabled: false }), locale);
      await plain.page.context().addCookies([{ name: cookieName, value: locale, url: baseUrl }]);
      await plain.goto(open1, { isJavaScriptEnabled: false });
      await plain.passwordField.waitFor();
      await expectAccessibleWithoutScripts(plain.page, browser);
    },
  );
});
