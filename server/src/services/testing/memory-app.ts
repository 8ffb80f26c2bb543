/**
 * The application over the in-memory store, without sockets or HTTP: for fast unit tests of
 * the services. Everything it publishes is recorded, so a test sees what would go out.
 */
import { asId, createWordFilter } from '@gt/core';
import type { LogEntry, OrgId } from '@gt/core';
import type { Credentials, SessionWire } from '@gt/protocol';
import { pino } from 'pino';
import { createMemoryStore } from '../../store/memory/memory-store.js';
import type { MemoryStore } from '../../store/memory/memory-store.js';
import type { AppendedEntry } from '../../store/store.js';
import { Application } from '../application.js';
import { RateLimits } from '../rate-limits.js';
import { ReactionBuffer } from '../reactions.js';
import { TokenSigner } from '../tokens.js';

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
  /** Credentials of an organiser of `org` (default: the app's own organisation). */
  organiser(org?: OrgId): Credentials;
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

export function memoryApp(options: { rateLimits?: boolean } = {}): MemoryApp {
  const store = createMemoryStore();
  const signer = new TokenSigner(SECRET);
  const published: AppendedEntry[] = [];
  const logged: LogEntry[] = [];
  const countsChanged: string[] = [];
  const pollResultsChanged: string[] = [];
  const app = new Application({
    store,
    signer,
    rateLimits: new RateLimits(SECRET, options.rateLimits === false ? {} : undefined),
    reactions: new ReactionBuffer(store),
    wordFilter: createWordFilter(),
    logger: pino({ level: 'silent' }),
    organiserAuth: { check: () => Promise.resolve(null) },
  });
  app.setPublisher({
    publish: (entries) => published.push(...entries),
    countsChanged: (id) => countsChanged.push(id),
    pollResultsChanged: (sessionId, pollId) => pollResultsChanged.push(`${sessionId} ${pollId}`),
    linkRevoked: () => undefined,
    logged: (entries) => logged.push(...entries),
    participants: () => Promise.resolve(0),
  });
  const organiser = (org: OrgId = ORG): Credentials => ({
    staff: signer.sign({ k: 'o', org, u: 'organiser@unit.example', exp: Date.now() + 3600_000 }),
  });
  return {
    app,
    store,
    signer,
    published,
    logged,
    countsChanged,
    pollResultsChanged,
    organiser,
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
