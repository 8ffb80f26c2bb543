/**
 * The memory store's organisations, events and sessions (SessionStore without its promises
 * and command bookkeeping), and the first-organisation claim (AccountStore).
 */
import { withSettingsDefaults } from '@gt/core';
import type { Event, Organisation, Session } from '@gt/core';
import { byTimeThenId, insertNew, json, parse, values } from './memory-journal.js';

export class MemorySessions {
  readonly #orgs = new Map<string, string>();
  /** The first organisation's id, once claimed. */
  #firstOrgId: string | null = null;
  readonly #events = new Map<string, string>();
  readonly #sessions = new Map<string, string>();
  /** joinCode -> sessionId */
  readonly #codes = new Map<string, string>();

  saveOrganisation(org: Organisation): void {
    this.#orgs.set(org.id, json(org));
  }

  getOrganisation(id: string): Organisation | null {
    return parse<Organisation>(this.#orgs.get(id));
  }

  claimFirstOrganisation(candidate: Organisation): Organisation {
    if (this.#firstOrgId === null) {
      this.saveOrganisation(candidate);
      this.#firstOrgId = candidate.id;
    }
    return this.getOrganisation(this.#firstOrgId)!;
  }

  createEvent(event: Event): void {
    insertNew(this.#events, event.id, event);
  }

  getEvent(id: string): Event | null {
    return parse<Event>(this.#events.get(id));
  }

  /** Newest first. */
  listEvents(orgId: string): Event[] {
    return values<Event>(this.#events)
      .filter((e) => e.orgId === orgId)
      .sort(byTimeThenId<Event>((e) => e.createdAt))
      .reverse();
  }

  createSession(session: Session): 'created' | 'code_taken' {
    if (this.#codes.has(session.joinCode)) return 'code_taken';
    insertNew(this.#sessions, session.id, session);
    this.#codes.set(session.joinCode, session.id);
    return 'created';
  }

  /** [SC2] Sessions written before a setting existed read with its default. */
  getSession(id: string): Session | null {
    const session = parse<Session>(this.#sessions.get(id));
    return session && withSettingsDefaults(session);
  }

  findSessionByCode(joinCode: string): Session | null {
    const id = this.#codes.get(joinCode);
    return id === undefined ? null : this.getSession(id);
  }

  listSessions(eventId: string): Session[] {
    return values<Session>(this.#sessions)
      .filter((s) => s.eventId === eventId)
      .sort(byTimeThenId<Session>((s) => s.createdAt))
      .map(withSettingsDefaults);
  }

  /** Replace a stored session (its version checked by the caller), moving its join code. */
  replaceSession(current: Session, next: Session): void {
    const holder = this.#codes.get(next.joinCode);
    if (holder !== undefined && holder !== next.id)
      throw new Error(`another session uses join code ${next.joinCode}`);
    this.#codes.delete(current.joinCode);
    this.#codes.set(next.joinCode, next.id);
    this.#sessions.set(next.id, json(next));
  }
}
