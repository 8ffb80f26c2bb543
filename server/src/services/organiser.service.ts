/**
 * The organiser's operations (AppApi): events, sessions and moderator links [T5]. Every
 * operation but the public join-code lookup runs through `asOrganiser`, the one place that
 * checks the organiser login and the ability its role needs [O2] (listing reads; creating,
 * changing and handing out moderator links change), and acts only on the organiser's
 * organisation. The login itself is with the people (members.service.ts).
 */
import { randomInt } from 'node:crypto';
import { asId, checkPanel, DEFAULT_SETTINGS, sessionView } from '@gt/core';
import type { EventId, ModeratorLink, OrgAbility, Session, SessionId } from '@gt/core';
import {
  createEventRequestSchema,
  createModeratorLinkRequestSchema,
  createSessionRequestSchema,
  fail,
  ok,
} from '@gt/protocol';
import type { AppApi, Credentials, Result } from '@gt/protocol';
import type { LinkStore, SessionStore } from '../store/store.js';
import type { Shared } from './context.js';
import type { Organiser, Principals } from './principals.js';
import { panelRefusal } from './refusals.js';
import { newId } from './tokens.js';

const OTHER_ORGANISATION = 'this belongs to another organisation';
/** Six random digits; a clash is retried rather than codes reserved up front. */
const JOIN_CODE_ATTEMPTS = 20;

export type OrganiserStore = SessionStore & LinkStore;

export interface OrganiserDeps {
  store: OrganiserStore;
  shared: Shared;
  principals: Principals;
}

type OrganiserApi = Pick<
  AppApi,
  | 'createEvent'
  | 'listEvents'
  | 'createSession'
  | 'listSessions'
  | 'createModeratorLink'
  | 'listModeratorLinks'
  | 'revokeModeratorLink'
  | 'findSessionByCode'
>;

export function createOrganiser({ store, shared, principals }: OrganiserDeps): OrganiserApi {
  const { signer } = shared;

  /** Run `act` for a member whose role may do `ability`; anyone else is refused. */
  async function asOrganiser<T>(
    creds: Credentials,
    ability: OrgAbility,
    act: (organiser: Organiser) => Promise<Result<T>>,
  ): Promise<Result<T>> {
    const member = await principals.member(creds, ability);
    return member.ok ? act(member.data) : member;
  }

  /**
   * [O2] An event or session of the organiser's organisation; another organisation's is
   * `forbidden` (ids are random, so saying it exists tells a stranger nothing to use).
   */
  function own<T extends { orgId: string }>(
    organiser: Organiser,
    found: T | null,
    what: string,
  ): Result<T> {
    if (!found) return fail('not_found', `no such ${what}`);
    return found.orgId === organiser.org ? ok(found) : fail('forbidden', OTHER_ORGANISATION);
  }

  async function ownSession(organiser: Organiser, sessionId: string): Promise<Result<Session>> {
    return own(organiser, await store.getSession(sessionId), 'session');
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
    createEvent: (creds, request) =>
      asOrganiser(creds, 'change', async (organiser) => {
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
      asOrganiser(creds, 'read', async (organiser) => ok(await store.listEvents(organiser.org))),

    createSession: (creds, request) =>
      asOrganiser(creds, 'change', async (organiser) => {
        const parsed = createSessionRequestSchema.safeParse(request);
        if (!parsed.success)
          return fail('invalid_input', 'an event id and a title of 1-200 characters are required');
        const found = own(organiser, await store.getEvent(parsed.data.eventId), 'event');
        if (!found.ok) return found;
        const event = found.data;
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
      asOrganiser(creds, 'read', async (organiser) => {
        const found = own(organiser, await store.getEvent(String(eventId)), 'event');
        if (!found.ok) return found;
        const event = found.data;
        return ok((await store.listSessions(event.id)).map(sessionView));
      }),

    /** [T5] Another moderator link for a session, with a label the moderation log shows. */
    createModeratorLink: (creds, request) =>
      asOrganiser(creds, 'change', async (organiser) => {
        const parsed = createModeratorLinkRequestSchema.safeParse(request);
        if (!parsed.success)
          return fail('invalid_input', 'a session id and a label of 1-80 characters are required');
        const session = await ownSession(organiser, parsed.data.sessionId);
        if (!session.ok) return session;
        return ok(await issueLink(session.data, parsed.data.label.trim()));
      }),

    // A link's token grants moderation: handing it out again is a change, not a read [O2].
    listModeratorLinks: (creds, sessionId) =>
      asOrganiser(creds, 'change', async (organiser) => {
        const found = await ownSession(organiser, String(sessionId));
        if (!found.ok) return found;
        const session = found.data;
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
      asOrganiser(creds, 'change', async (organiser) => {
        const link = await store.getModeratorLink(String(linkId));
        if (!link) return fail('not_found', 'no such link');
        const session = await ownSession(organiser, link.sessionId);
        if (!session.ok) return session;
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
