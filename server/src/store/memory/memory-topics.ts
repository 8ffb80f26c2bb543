/**
 * The memory store's topics, follow-ups and moderator links (TopicStore and LinkStore
 * without their promises, and without the command bookkeeping memory-store.ts adds).
 */
import type { FollowUp, ModeratorLink, Topic } from '@gt/core';
import { byTimeThenId, insertNew, json, parse, values } from './memory-journal.js';

export class MemoryTopics {
  readonly #topics = new Map<string, string>();
  readonly #followUps = new Map<string, string>();
  readonly #links = new Map<string, string>();

  createTopic(topic: Topic): void {
    insertNew(this.#topics, topic.id, topic);
  }

  getTopic(id: string): Topic | null {
    return parse<Topic>(this.#topics.get(id));
  }

  listTopics(eventId: string): Topic[] {
    return values<Topic>(this.#topics)
      .filter((t) => t.eventId === eventId)
      .sort(byTimeThenId<Topic>((t) => t.createdAt));
  }

  insertFollowUp(followUp: FollowUp): void {
    insertNew(this.#followUps, followUp.id, followUp);
  }

  /** Replace a follow-up; throws (writing nothing) when there is none. */
  updateFollowUp(followUp: FollowUp): void {
    if (!this.#followUps.has(followUp.id)) throw new Error(`no follow-up ${followUp.id}`);
    this.#followUps.set(followUp.id, json(followUp));
  }

  getFollowUp(id: string): FollowUp | null {
    return parse<FollowUp>(this.#followUps.get(id));
  }

  /** Follow-ups that `keep` accepts, oldest sign-up first. */
  listFollowUps(keep: (f: FollowUp) => boolean): FollowUp[] {
    return values<FollowUp>(this.#followUps)
      .filter(keep)
      .sort(byTimeThenId<FollowUp>((f) => f.consentedAt));
  }

  deleteFollowUpsDueBy(dueBy: number): number {
    const due = values<FollowUp>(this.#followUps).filter((f) => f.deleteAfter <= dueBy);
    for (const f of due) this.#followUps.delete(f.id);
    return due.length;
  }

  saveModeratorLink(link: ModeratorLink): void {
    this.#links.set(link.id, json(link));
  }

  getModeratorLink(id: string): ModeratorLink | null {
    return parse<ModeratorLink>(this.#links.get(id));
  }

  listModeratorLinks(sessionId: string): ModeratorLink[] {
    return values<ModeratorLink>(this.#links)
      .filter((l) => l.sessionId === sessionId)
      .sort(byTimeThenId<ModeratorLink>((l) => l.createdAt));
  }
}
