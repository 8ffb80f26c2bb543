/**
 * The application over the in-memory store, without sockets or HTTP: for fast unit tests of
 * the services. Everything it publishes is recorded, so a test sees what would go out.
 */
import { asId, createWordFilter } from '@gt/core';
import type { LogEntry, MemberRole, OrgId } from '@gt/core';
import type { Credentials, SessionWire } from '@gt/protocol';
import { pino } from 'pino';
import { createMemoryStore } from '../../store/memory/memory-store.js';
import type { MemoryStore } from '../../store/memory/memory-store.js';
import type { AppendedEntry } from '../../store/store.js';
import { Application } from '../application.js';
import { RateLimits } from '../rate-limits.js';
import { ReactionBuffer } from '../reactions.js';
import { newId, TokenSigner } from '../tokens.js';
import { OrganiserAuth } from '../organiser-auth.js';
import type { LoginLimits } from '../login-throttle.js';

const SECRET = 'unit-test-secret-key-that-is-long-enough-0123456789';
export const ORG = asId<OrgId>('org_unit');

export interface MemoryApp {
  app: Application;
  store: MemoryStore;
  signer: TokenSigner;
  /** Stream entries published, in order. */
  published: AppendedEntry[];
  logged: LogEntry[];
  countsChanged: string[];
  /** [PL10] Polls whose results were said to have changed, as `sessionId pollId`. */
  pollResultsChanged: string[];
  /** [O4] `${orgId} ${accountId}` of each login whose sockets were closed. */
  loginsEnded: string[];
  /** Credentials of an organiser of `org` (default: the app's own organisation). */
  organiser(org?: OrgId): Credentials;
  /** [O2] A new account with `role` in `org` (default ORG) and its login's credentials. */
  member(role: MemberRole, org?: OrgId): Promise<{ creds: Credentials; accountId: string }>;
  /** A new attendee device's credentials. */
  device(): Credentials;
  /** An event and a session of ORG, with the first moderator link's credentials. */
  session(settings?: Record<string, unknown>): Promise<{
    session: SessionWire;
    moderator: Credentials;
  }>;
  /** Let publishing (queued with process.nextTick after the acknowledgement) run. */
  settle(): Promise<void>;
}

export function memoryApp(
  options: {
    rateLimits?: boolean;
    /** Check logins against the store's accounts (default: every login is refused). */
    organiserAuth?: boolean;
    now?: () => number;
    loginLimits?: LoginLimits;
  } = {},
): MemoryApp {
  const store = createMemoryStore();
  const signer = new TokenSigner(SECRET);
  const published: AppendedEntry[] = [];
  const logged: LogEntry[] = [];
  const countsChanged: string[] = [];
  const pollResultsChanged: string[] = [];
  const loginsEnded: string[] = [];
  const app = new Application({
    store,
    signer,
    rateLimits: new RateLimits(SECRET, options.rateLimits === false ? {} : undefined),
    reactions: new ReactionBuffer(store),
    wordFilter: createWordFilter(),
    logger: pino({ level: 'silent' }),
    ...(options.now ? { now: options.now } : {}),
    ...(options.loginLimits ? { loginLimits: options.loginLimits } : {}),
    organiserAuth:
      options.organiserAuth === true
        ? new OrganiserAuth(store)
        : { check: () => Promise.resolve(null) },
  });
  app.setPublisher({
    publish: (entries) => published.push(...entries),
    countsChanged: (id) => countsChanged.push(id),
    pollResultsChanged: (sessionId, pollId) => pollResultsChanged.push(`${sessionId} ${pollId}`),
    linkRevoked: () => undefined,
    loginEnded: (orgId, accountId) => loginsEnded.push(`${orgId} ${accountId}`),
    logged: (entries) => logged.push(...entries),
    participants: () => Promise.resolve(0),
  });
  const loginOf = (account: { id: string; email: string }, org: OrgId): Credentials => ({
    staff: signer.sign({
      k: 'o',
      org,
      u: account.email,
      a: account.id,
      v: 0,
      exp: Date.now() + 3600_000,
    }),
  });
  const makeMember = (role: MemberRole, org: OrgId) => {
    const account = {
      id: newId('acc'),
      orgId: org,
      email: `${newId('o').toLowerCase()}@unit.example`,
      passwordSalt: 'unused',
      passwordHash: 'unused',
      createdAt: Date.now(),
    };
    // The memory store applies a write before its promise settles (memory-store.ts), so the
    // account stands by the time the credentials are used, without making this async.
    void store.createAccount(account);
    void store.addMembership({ orgId: org, accountId: account.id, role, createdAt: Date.now() });
    return account;
  };
  /** One organiser account per organisation, made on first use. */
  const organisers = new Map<OrgId, { id: string; email: string }>();
  const organiser = (org: OrgId = ORG): Credentials => {
    let account = organisers.get(org);
    if (!account) organisers.set(org, (account = makeMember('organiser', org)));
    return loginOf(account, org);
  };
  return {
    app,
    store,
    signer,
    published,
    logged,
    countsChanged,
    pollResultsChanged,
    loginsEnded,
    organiser,
    member: (role, org = ORG) => {
      const account = makeMember(role, org);
      return Promise.resolve({ creds: loginOf(account, org), accountId: account.id });
    },
    device: () => ({ device: app.registerDevice().deviceToken }),
    async session(settings = {}) {
      const event = await app.createEvent(organiser(), { title: 'Kulturnat' });
      if (!event.ok) throw new Error(event.error.message);
      const created = await app.createSession(organiser(), {
        eventId: event.data.id,
        title: 'Cykelstier',
        settings,
      });
      if (!created.ok) throw new Error(created.error.message);
      return {
        session: created.data.session,
        moderator: { staff: created.data.moderatorToken },
      };
    },
    settle: () => new Promise((resolve) => setImmediate(resolve)),
  };
}
