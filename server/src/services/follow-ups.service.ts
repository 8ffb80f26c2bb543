/**
 * Topics and follow-ups (SPEC F1-F8): the topics a session offers, a person's consented
 * sign-up and its withdrawal, the receipt of a device, and deletion on schedule. Contact
 * details are filed under a follow key, never next to the device or its posts [F3].
 */
import {
  asId,
  checkFollowUp,
  CONSENT_VERSION,
  DEFAULT_RETENTION_DAYS,
  deleteAfter,
  followUpView,
  fullView,
  isTopicOfSession,
  topicView,
  withdraw,
} from '@gt/core';
import type { FollowUp, FollowUpId, SessionId, Topic, TopicId } from '@gt/core';
import { createTopicRequestSchema, fail, ok } from '@gt/protocol';
import type { AppApi, Credentials, Result, Receipt } from '@gt/protocol';
import type { PostStore, SessionStore, TopicStore } from '../store/store.js';
import type { Handlers, Shared } from './context.js';
import type { Principals } from './principals.js';
import { newId } from './tokens.js';

export type FollowUpsStore = TopicStore & SessionStore & PostStore;

export interface FollowUpsDeps {
  store: FollowUpsStore;
  shared: Shared;
  principals: Principals;
}

export function createFollowUps({ store, shared, principals }: FollowUpsDeps) {
  const { signer } = shared;

  const handlers = {
    'topic:list': async (ctx) => {
      const session = ctx.session!;
      const [topics, organisation] = await Promise.all([
        store.listTopics(session.eventId),
        store.getOrganisation(session.orgId),
      ]);
      return ok({
        // [F1] The consent text names who will contact the person: the contact and this.
        organisationName: organisation?.name ?? '',
        topics: topics.filter((t) => isTopicOfSession(t, session)).map(topicView),
      });
    },

    'followup:create': async (ctx, p) => {
      const session = ctx.session!;
      const topic = await store.getTopic(p.topicId);
      if (!topic || !isTopicOfSession(topic, session))
        return fail('not_found', 'no such topic in this session');
      // [F3] The person must have seen the consent text in force now.
      if (p.consentVersion !== CONSENT_VERSION) {
        return fail('invalid_input', 'the consent text has changed; please read it again', {
          field: 'consent',
          reason: 'consent_outdated',
        });
      }
      const checked = checkFollowUp({
        name: p.name,
        email: p.email,
        phone: p.phone,
        hasConsented: p.hasConsented,
        ageBasis: p.ageBasis,
      });
      if (!checked.ok) return fail('invalid_input', checked.reason, { field: checked.field });
      const now = shared.now();
      const followUp: FollowUp = {
        id: asId<FollowUpId>(newId('fol')),
        topicId: topic.id,
        orgId: topic.orgId,
        eventId: topic.eventId,
        followKey: signer.followKey(ctx.you.deviceId!),
        name: checked.name,
        email: checked.email,
        phone: checked.phone,
        ageBasis: p.ageBasis,
        consentVersion: CONSENT_VERSION,
        consentedAt: now,
        deleteAfter: deleteAfter(topic, now),
        withdrawnAt: null,
      };
      return shared.finish(
        // [F5] The acknowledgement is kept for replays; it carries no name or contact
        // details, so withdrawing leaves none behind in the store.
        await store.insertFollowUp(shared.commandRef(ctx, p, 'followup:create')!, followUp, {
          followUp: {
            id: followUp.id,
            topicId: followUp.topicId,
            consentVersion: followUp.consentVersion,
            consentedAt: followUp.consentedAt,
            deleteAfter: followUp.deleteAfter,
          },
        }),
      );
    },

    'followup:withdraw': async (ctx, p) => {
      const device = ctx.principal.deviceId ?? ctx.principal.receiptDevice;
      const followUp = await store.getFollowUp(p.followUpId);
      // Someone else's follow-up does not exist for you.
      if (!device || !followUp || followUp.followKey !== signer.followKey(device)) {
        return fail('not_found', 'no such follow-up of yours');
      }
      const next = withdraw(followUp, shared.now());
      return shared.finish(
        await store.updateFollowUp(shared.commandRef(ctx, p, 'followup:withdraw')!, next, {
          followUp: followUpView(next),
        }),
      );
    },

    'receipt:link': async (ctx) => {
      const deviceId = ctx.principal.deviceId;
      if (!deviceId) return fail('forbidden', 'a receipt belongs to a device; register one first');
      const receiptToken = signer.sign({ k: 'r', d: deviceId });
      return ok({ receiptToken, path: `/r/${receiptToken}` });
    },
  } satisfies Partial<Handlers>;

  const api = {
    async createTopic(creds, request) {
      const member = await principals.member(creds, 'change');
      if (!member.ok) return member;
      const organiser = member.data;
      const parsed = createTopicRequestSchema.safeParse(request);
      if (!parsed.success)
        return fail('invalid_input', 'a title and a contact person are required');
      const r = parsed.data;
      const event = await store.getEvent(r.eventId);
      if (!event) return fail('not_found', 'no such event');
      // [O2] Another organisation's event is forbidden, as for the organiser's operations.
      if (event.orgId !== organiser.org)
        return fail('forbidden', 'this belongs to another organisation');
      if (r.sessionId) {
        const session = await store.getSession(r.sessionId);
        if (!session || session.eventId !== event.id)
          return fail('not_found', 'no such session in this event');
      }
      const topic: Topic = {
        id: asId<TopicId>(newId('top')),
        orgId: event.orgId,
        eventId: event.id,
        sessionId: r.sessionId ? asId<SessionId>(r.sessionId) : null,
        title: r.title.trim(),
        description: r.description.trim(),
        contactName: r.contactName.trim(),
        contactEmail: r.contactEmail ?? null,
        retentionDays: r.retentionDays ?? DEFAULT_RETENTION_DAYS,
        createdAt: shared.now(),
      };
      await store.createTopic(topic);
      return ok(topicView(topic));
    },

    /** [F3] A device's receipt: its posts with their status, and its follow-ups. */
    async getReceipt(creds: Credentials): Promise<Result<Receipt>> {
      const principal = principals.from(creds);
      const device = principal.receiptDevice ?? principal.deviceId;
      if (!device)
        return fail('forbidden', 'open your receipt link, or post from this device first');
      const [posts, followUps] = await Promise.all([
        store.listDevicePosts(device),
        store.listFollowUpsByKey(signer.followKey(device)),
      ]);
      const sessionTitles = new Map<string, string>();
      for (const id of new Set(posts.map((p) => p.sessionId)))
        sessionTitles.set(id, (await store.getSession(id))?.title ?? '');
      const topicTitles = new Map<string, string>();
      for (const id of new Set(followUps.map((f) => f.topicId)))
        topicTitles.set(id, (await store.getTopic(id))?.title ?? '');
      return ok({
        posts: posts.map((post) => ({
          post: fullView(post),
          sessionTitle: sessionTitles.get(post.sessionId) ?? '',
        })),
        followUps: followUps.map((f) => ({
          followUp: followUpView(f),
          topicTitle: topicTitles.get(f.topicId) ?? '',
        })),
      });
    },
  } satisfies Partial<AppApi>;

  /**
   * [F8] Delete the follow-ups whose deletion date falls before `now + aheadMs`. The sweep runs
   * every `aheadMs`, so sweeping that far ahead deletes a sign-up a little early rather than
   * late: the consent text promises deletion no later than its date.
   */
  function deleteDueFollowUps(aheadMs: number): Promise<number> {
    return store.deleteFollowUpsDueBy(shared.now() + aheadMs);
  }

  return { handlers, api, deleteDueFollowUps };
}
