/**
 * Posts (SPEC P1-P8, V1, M11, M13): a citizen's question or idea, one typed in from the room,
 * upvotes, and the staff's edits that keep a post's history: edit, merge, make it a topic.
 */
import {
  asId,
  checkName,
  checkText,
  DEFAULT_RETENTION_DAYS,
  editText,
  fullView,
  isPublic,
  mergeChanges,
  moderate,
  newPost,
  normaliseName,
  postAppends,
  TOPIC_TITLE_FROM_POST_MAX,
  topicTitleFromText,
  topicView,
} from '@gt/core';
import type { PostId, PostKind, PostView, Topic, TopicId, WordFilter } from '@gt/core';
import { fail } from '@gt/protocol';
import type { Result } from '@gt/protocol';
import type { CountStore, PostStore, TopicStore } from '../store/store.js';
import type { CommandContext, Handlers, Shared } from './context.js';
import type { PostChanges } from './post-change.js';
import { nameRefusal, textRefusal } from './refusals.js';
import { newId } from './tokens.js';

export type PostsStore = PostStore & CountStore & TopicStore;

export interface PostsDeps {
  store: PostsStore;
  shared: Shared;
  changes: PostChanges;
  /** Holds posts with offensive words for the moderator. */
  wordFilter: WordFilter;
}

export function postHandlers({ store, shared, changes, wordFilter }: PostsDeps) {
  /** Check the text and name against the session's rules, then store the new post. */
  async function insertPost(
    ctx: CommandContext,
    p: { commandId: string; kind: PostKind; text: string; displayName?: string | null | undefined },
    { isFromRoom }: { isFromRoom: boolean },
  ): Promise<Result<{ post: PostView }>> {
    const session = ctx.session!;
    const text = checkText(p.text, session.settings.maxLength);
    if (!text.ok) return textRefusal(text);
    const name = checkName(p.displayName);
    if (!name.ok) return nameRefusal(name, 'displayName');
    const post = newPost({
      id: asId<PostId>(newId('pst')),
      sessionId: session.id,
      kind: p.kind,
      text: text.text,
      displayName: name.text,
      authorDevice: isFromRoom ? null : ctx.you.deviceId,
      isFromRoom,
      // Staff typing in a floor question are the moderators: it needs no approval.
      moderation: isFromRoom ? 'post' : session.settings.moderation,
      // [P2] Held for a moderator, never rejected: the author sees "awaiting moderation".
      isHeldByFilter: !isFromRoom && wordFilter.check(text.text).isHeld,
      now: shared.now(),
    });
    const ref = shared.commandRef(ctx, p)!;
    const log = isFromRoom ? [await shared.logEntry(ctx, 'create-from-room', post.id, null)] : [];
    return shared.finish(
      await store.insertPost(ref, post, postAppends(null, post), { post: fullView(post) }, log),
    );
  }

  return {
    'post:create': async (ctx, p) => {
      if (!ctx.session!.settings.isOpen)
        return fail('closed', 'this session is not taking posts now');
      return insertPost(ctx, p, { isFromRoom: false });
    },

    // [P8] Staff typed it in: it has no device, needs no approval and is not filtered.
    'post:create-from-room': (ctx, p) => insertPost(ctx, p, { isFromRoom: true }),

    'post:upvote': async (ctx, p) => {
      const session = ctx.session!;
      if (!session.settings.isOpen) return fail('closed', 'this session is not taking votes now');
      const post = await store.getPost(session.id, p.postId);
      // A post the attendee cannot see does not exist for them.
      if (!post || !isPublic(post)) return fail('not_found', 'no such post');
      const ack = { postId: post.id as string, isOn: p.isOn };
      const result = shared.finish(
        await store.setVote(
          shared.commandRef(ctx, p)!,
          { sessionId: session.id, postId: post.id, deviceId: ctx.you.deviceId!, isOn: p.isOn },
          ack,
        ),
      );
      if (result.ok) shared.publisher.countsChanged(session.id);
      return result;
    },

    'post:edit': async (ctx, p) => {
      const text = checkText(p.text, ctx.session!.settings.maxLength);
      if (!text.ok) return textRefusal(text);
      // [ML1] The log keeps the replaced wording, as the post's history does.
      return changes.change(ctx, p, (post, now) => editText(post, text.text, now), {
        action: 'edit',
        detail: (before) => before.text,
      });
    },

    // [M11] A new topic of this session from the post (title from its text unless given), and
    // the post tagged with it.
    'post:to-topic': async (ctx, p) => {
      const session = ctx.session!;
      let given: string | null = null;
      if (p.title !== undefined) {
        const title = checkText(p.title, TOPIC_TITLE_FROM_POST_MAX);
        if (!title.ok)
          return fail(
            'invalid_input',
            `the title is ${title.reason === 'empty' ? 'empty' : 'too long'}`,
            { field: 'title', reason: title.reason, max: TOPIC_TITLE_FROM_POST_MAX },
          );
        given = normaliseName(title.text);
      }
      let topic: Topic | null = null;
      return changes.change(
        ctx,
        p,
        async (post, now) => {
          topic = {
            id: asId<TopicId>(newId('top')),
            orgId: session.orgId,
            eventId: session.eventId,
            sessionId: session.id,
            title: given ?? topicTitleFromText(post.text),
            description: post.text,
            // The organiser names the contact person before follow-ups are exported.
            contactName: '',
            contactEmail: null,
            retentionDays: DEFAULT_RETENTION_DAYS,
            createdAt: now,
          };
          const tagged = moderate(post, { type: 'tag', topicId: topic.id }, now);
          // Written only once the change is sure to apply (the version matched).
          if (tagged.ok) await store.createTopic(topic);
          return tagged;
        },
        { action: 'to-topic', detail: () => (topic as Topic | null)?.title ?? null },
        (post) => ({ post, topic: topicView(topic!) }),
      );
    },

    // [M13] Merge duplicates into a target at the versions the moderator saw: the sources are
    // hidden and point at it, it shows their texts and counts their voices, and their voters
    // vote for it once each; all in one atomic write with the log entry.
    'post:merge': async (ctx, p) => {
      const session = ctx.session!;
      const ids = [p.targetId, ...p.sourceIds];
      const found = await Promise.all(ids.map((id) => store.getPost(session.id, id)));
      if (found.some((post) => post === null)) return fail('not_found', 'no such post');
      const [target, ...sources] = found as NonNullable<(typeof found)[number]>[];
      const expected = [p.targetVersion, ...p.sourceVersions];
      const stale = [target!, ...sources].filter((post, i) => post.version !== expected[i]);
      if (stale.length > 0)
        return fail('conflict', 'someone else changed these posts first', {
          current: fullView(stale[0]!),
          currentPosts: stale.map(fullView),
        });
      const result = mergeChanges(target!, sources, shared.now());
      if (!result.ok) return fail(result.code, result.message);
      const after = result.changes[result.changes.length - 1]!.after;
      const commit = await store.mergePosts(
        shared.commandRef(ctx, p)!,
        session.id,
        { targetId: target!.id, sourceIds: sources.map((post) => post.id) },
        result.changes.map((c) => ({ post: c.after, expectedVersion: c.before.version })),
        result.changes.flatMap((c) => postAppends(c.before, c.after)),
        { post: fullView(after) },
        [
          await shared.logEntry(
            ctx,
            'merge',
            target!.id,
            sources.map((post) => post.text.slice(0, 80)).join(' | '),
          ),
        ],
      );
      const finished = shared.finish(commit);
      if (finished.ok && commit.kind === 'committed') shared.publisher.countsChanged(session.id);
      return finished;
    },
  } satisfies Partial<Handlers>;
}
