/**
 * The organiser's operations (AppApi): login, events, sessions and moderator links [T5].
 * Every operation but login and the public join-code lookup runs through `asOrganiser`, the
 * one place that checks the organiser login, and acts only on the organiser's organisation.
 */
import { randomInt } from 'node:crypto';
import { asId, checkPanel, DEFAULT_SETTINGS, sessionView } from '@gt/core';
import type { EventId, ModeratorLink, Session, SessionId } from '@gt/core';
import {
  createEventRequestSchema,
  createModeratorLinkRequestSchema,
  createSessionRequestSchema,
  fail,
  loginRequestSchema,
  ok,
} from '@gt/protocol';
import type { AppApi, Credentials, Result } from '@gt/protocol';
import type { LinkStore, SessionStore } from '../store/store.js';
import type { Shared } from './context.js';
import type { OrganiserAuth } from './organiser-auth.js';
import type { Organiser, Principals } from './principals.js';
import { panelRefusal } from './refusals.js';
import { newId } from './tokens.js';

const ORGANISER_TOKEN_HOURS = 12;
/** Six random digits; a clash is retried rather than codes reserved up front. */
const JOIN_CODE_ATTEMPTS = 20;

export type OrganiserStore = SessionStore & LinkStore;

export interface OrganiserDeps {
  store: OrganiserStore;
  shared: Shared;
  principals: Principals;
  organiserAuth: Pick<OrganiserAuth, 'check'>;
}

type OrganiserApi = Omit<AppApi, 'command' | 'createTopic' | 'getReceipt'>;

export function createOrganiser({
  store,
  shared,
  principals,
  organiserAuth,
}: OrganiserDeps): OrganiserApi {
  const { signer } = shared;

  /** Run `act` for the organiser behind the credentials; anyone else is refused. */
  function asOrganiser<T>(
    creds: Credentials,
    act: (organiser: Organiser) => Promise<Result<T>>,
  ): Promise<Result<T>> {
    const organiser = principals.organiser(creds);
    return organiser ? act(organiser) : Promise.resolve(fail('forbidden', 'organisers only'));
  }

  /** The session, if it belongs to the organiser's organisation. */
  async function ownSession(organiser: Organiser, sessionId: string): Promise<Session | null> {
    const session = await store.getSession(sessionId);
    return session && session.orgId === organiser.org ? session : null;
  }

  async function issueLink(
    session: Session,
    label: string,
  ): Promise<{ link: ModeratorLink; moderatorToken: string }> {
    const link: ModeratorLink = {
      id: newId('lnk'),
      sessionId: session.id,
      label,
      createdAt: shared.now(),
      revokedAt: null,
    };
    await store.saveModeratorLink(link);
    return { link, moderatorToken: signer.sign({ k: 'm', s: session.id, l: link.id }) };
  }

  return {
    async login(request) {
      const parsed = loginRequestSchema.safeParse(request);
      if (!parsed.success) return fail('invalid_input', 'e-mail and password are required');
      const account = await organiserAuth.check(parsed.data.email, parsed.data.password);
      if (!account) return fail('forbidden', 'wrong e-mail or password');
      const exp = shared.now() + ORGANISER_TOKEN_HOURS * 3600_000;
      const staffToken = signer.sign({ k: 'o', org: account.orgId, u: account.email, exp });
      return ok({ staffToken, orgId: account.orgId });
    },

    createEvent: (creds, request) =>
      asOrganiser(creds, async (organiser) => {
        const parsed = createEventRequestSchema.safeParse(request);
        if (!parsed.success)
          return fail('invalid_input', 'a title of 1-200 characters is required');
        const event = {
          id: asId<EventId>(newId('evt')),
          orgId: organiser.org,
          title: parsed.data.title.trim(),
          createdAt: shared.now(),
        };
        await store.createEvent(event);
        return ok(event);
      }),

    listEvents: (creds) =>
      asOrganiser(creds, async (organiser) => ok(await store.listEvents(organiser.org))),

    createSession: (creds, request) =>
      asOrganiser(creds, async (organiser) => {
        const parsed = createSessionRequestSchema.safeParse(request);
        if (!parsed.success)
          return fail('invalid_input', 'an event id and a title of 1-200 characters are required');
        const event = await store.getEvent(parsed.data.eventId);
        if (!event || event.orgId !== organiser.org) return fail('not_found', 'no such event');
        const settings = { ...DEFAULT_SETTINGS, ...parsed.data.settings };
        const panel = checkPanel(settings.panel);
        if (!panel.ok) return panelRefusal(panel);
        settings.panel = panel.panel;
        for (let attempt = 0; attempt < JOIN_CODE_ATTEMPTS; attempt++) {
          const session: Session = {
            id: asId<SessionId>(newId('ses')),
            eventId: event.id,
            orgId: event.orgId,
            title: parsed.data.title.trim(),
            joinCode: randomJoinCode(),
            settings,
            version: 1,
            createdAt: shared.now(),
          };
          if ((await store.createSession(session)) === 'created') {
            const { moderatorToken } = await issueLink(session, 'Ordstyrer 1');
            return ok({ session: sessionView(session), moderatorToken });
          }
        }
        return fail('internal', 'could not find a free join code');
      }),

    listSessions: (creds, eventId) =>
      asOrganiser(creds, async (organiser) => {
        const event = await store.getEvent(String(eventId));
        if (!event || event.orgId !== organiser.org) return fail('not_found', 'no such event');
        return ok((await store.listSessions(event.id)).map(sessionView));
      }),

    /** [T5] Another moderator link for a session, with a label the moderation log shows. */
    createModeratorLink: (creds, request) =>
      asOrganiser(creds, async (organiser) => {
        const parsed = createModeratorLinkRequestSchema.safeParse(request);
        if (!parsed.success)
          return fail('invalid_input', 'a session id and a label of 1-80 characters are required');
        const session = await ownSession(organiser, parsed.data.sessionId);
        if (!session) return fail('not_found', 'no such session of yours');
        return ok(await issueLink(session, parsed.data.label.trim()));
      }),

    listModeratorLinks: (creds, sessionId) =>
      asOrganiser(creds, async (organiser) => {
        const session = await ownSession(organiser, String(sessionId));
        if (!session) return fail('not_found', 'no such session of yours');
        const links = await store.listModeratorLinks(session.id);
        // Signing is deterministic: a standing link's token can be handed out again.
        return ok(
          links.map((link) => ({
            ...link,
            moderatorToken:
              link.revokedAt === null ? signer.sign({ k: 'm', s: session.id, l: link.id }) : null,
          })),
        );
      }),

    /** [T5] Revoke a link: it grants nothing from now on, and its open sockets are closed on every node. */
    revokeModeratorLink: (creds, linkId) =>
      asOrganiser(creds, async (organiser) => {
        const link = await store.getModeratorLink(String(linkId));
        const session = link ? await ownSession(organiser, link.sessionId) : null;
        if (!link || !session) return fail('not_found', 'no such link of yours');
        const revoked = link.revokedAt === null ? { ...link, revokedAt: shared.now() } : link;
        await store.saveModeratorLink(revoked);
        shared.publisher.linkRevoked(link.id);
        return ok(revoked);
      }),

    async findSessionByCode(code) {
      const digits = String(code).replace(/\s+/g, '');
      if (!/^[0-9]{6}$/.test(digits)) return fail('invalid_input', 'a join code is six digits');
      const session = await store.findSessionByCode(digits);
      return session ? ok(sessionView(session)) : fail('not_found', 'no session has this code');
    },
  };
}

function randomJoinCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}
