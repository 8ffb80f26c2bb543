/**
 * Moderation (SPEC M1-M14): the status and flag commands on one post, each a core action
 * applied at the version the moderator saw (PostChanges).
 */
import { checkText, isTopicOfSession, MAX_REASON_LENGTH } from '@gt/core';
import { fail } from '@gt/protocol';
import type { TopicStore } from '../store/store.js';
import type { Handlers } from './context.js';
import type { PostChanges } from './post-change.js';

export type ModerationStore = TopicStore;

export function moderationHandlers(store: ModerationStore, posts: PostChanges) {
  return {
    'post:approve': (ctx, p) => posts.moderate(ctx, p, { type: 'approve' }),
    'post:hide': (ctx, p) => {
      const reason = checkText(p.reason, MAX_REASON_LENGTH);
      if (!reason.ok && reason.reason === 'too_long')
        return Promise.resolve(
          fail('invalid_input', 'the reason is too long', { max: MAX_REASON_LENGTH }),
        );
      return posts.moderate(ctx, p, { type: 'hide', reason: reason.ok ? reason.text : '' });
    },
    'post:restore': (ctx, p) => posts.moderate(ctx, p, { type: 'restore' }),
    'post:answer': (ctx, p) => posts.moderate(ctx, p, { type: 'answer' }),
    'post:highlight': (ctx, p) => posts.moderate(ctx, p, { type: 'highlight' }),
    'post:unhighlight': (ctx, p) => posts.moderate(ctx, p, { type: 'unhighlight' }),
    'post:pin': (ctx, p) => posts.moderate(ctx, p, { type: 'pin' }),
    'post:unpin': (ctx, p) => posts.moderate(ctx, p, { type: 'unpin' }),

    // [M12] The inverses of answer and approve, for the console's undo.
    'post:reopen': (ctx, p) => posts.moderate(ctx, p, { type: 'reopen' }),
    'post:unapprove': (ctx, p) => posts.moderate(ctx, p, { type: 'unapprove' }),

    // [M8] A topic of this session's event (or of this session), or null to untag.
    'post:tag': async (ctx, p) => {
      const topic = p.topicId === null ? null : await store.getTopic(p.topicId);
      if (p.topicId !== null && !(topic && isTopicOfSession(topic, ctx.session!)))
        return fail('not_found', 'no such topic in this session', { field: 'topicId' });
      return posts.moderate(ctx, p, { type: 'tag', topicId: p.topicId });
    },

    // [M9] A member of the session's panel, or null.
    'post:direct': async (ctx, p) => {
      const member =
        p.panelMemberId === null
          ? null
          : ctx.session!.settings.panel.find((m) => m.id === p.panelMemberId);
      if (p.panelMemberId !== null && !member)
        return fail('not_found', 'no such member of the panel', { field: 'panelMemberId' });
      return posts.moderate(ctx, p, { type: 'direct', panelMemberId: p.panelMemberId });
    },

    // [M14] A member of the session's panel promised to follow the post up, or (null) the
    // promise is taken back. The member's name is kept on the post as the panel has it now.
    'post:promise-follow-up': async (ctx, p) => {
      if (p.panelMemberId === null) return posts.moderate(ctx, p, { type: 'unpromise' });
      const member = ctx.session!.settings.panel.find((m) => m.id === p.panelMemberId);
      if (!member)
        return fail('not_found', 'no such member of the panel', { field: 'panelMemberId' });
      return posts.moderate(ctx, p, {
        type: 'promise',
        panelMemberId: member.id,
        name: member.name,
      });
    },
  } satisfies Partial<Handlers>;
}
