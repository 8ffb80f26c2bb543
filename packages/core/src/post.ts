/**
 * The post: its statuses, flags, versions and the moderation transitions (SPEC P1-P5, M1-M14).
 * Pure functions: each takes the current post and returns the next one or a refusal, and
 * bumps the version, so a moderator acting on a stale copy gets a conflict instead of
 * overwriting a colleague's decision.
 */
import type { DeviceId, PostId, SessionId } from './ids.js';
import type { ModerationMode } from './session.js';
import { canApply } from './post-actions.js';

export const POST_STATUSES = ['pending', 'visible', 'answered', 'hidden'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

export const POST_KINDS = ['question', 'idea'] as const;
export type PostKind = (typeof POST_KINDS)[number];

/** Why a pending post waits: the session pre-moderates, or the word filter held it. */
export type HeldReason = 'premoderation' | 'word_filter';

export interface Post {
  id: PostId;
  sessionId: SessionId;
  kind: PostKind;
  text: string;
  /** null: anonymous (the default). */
  displayName: string | null;
  /** The device that posted it; null when staff typed it in from the room. Never sent out. */
  authorDevice: DeviceId | null;
  status: PostStatus;
  version: number;
  createdAt: number;
  updatedAt: number;
  isHighlighted: boolean;
  isPinned: boolean;
  isFromRoom: boolean;
  heldReason: HeldReason | null;
  /** Shown to the author when hidden. */
  hideReason: string | null;
  /** [M7] Earlier wordings, oldest first: a moderator may fix a typo, the original stays visible. */
  history: PostEdit[];
  /** [M8] The topic a moderator tagged it with (a topic of the session's event), or null. */
  topicId: string | null;
  /** [M9] The panel member it is directed to (an id of the session's panel), or null. */
  directedTo: string | null;
  /** [M13] The post this one was merged into (it is hidden then), or null. */
  mergedInto: PostId | null;
  /** [M13] The texts merged into this post, oldest merge first: shown under it. */
  merged: MergedText[];
  /**
   * [M13] The voices of the merged posts: author devices (or `room:<postId>` for a post typed
   * in from the room). Never sent out; a view only counts them.
   */
  mergedAuthors: string[];
  /**
   * [M14] A panel member promised to follow the post up after the talk (contact the author,
   * look into it), or null. The member's name is kept as the panel had it then, so the
   * author's receipt can say who promised, whatever becomes of the panel later.
   */
  followUpPromisedBy: FollowUpPromise | null;
}

/** [M14] Who promised a follow-up, and when. */
export interface FollowUpPromise {
  /** An id of the session's panel when promised. */
  panelMemberId: string;
  name: string;
  at: number;
}

/** A text merged into another post, as it stood when merged. */
export interface MergedText {
  id: PostId;
  text: string;
  /** The author's display name, or null (anonymous). */
  authorName: string | null;
}

export interface PostEdit {
  text: string;
  /** When this wording was replaced. */
  editedAt: number;
}

export interface NewPostInput {
  id: PostId;
  sessionId: SessionId;
  kind: PostKind;
  text: string;
  displayName: string | null;
  authorDevice: DeviceId | null;
  isFromRoom: boolean;
  moderation: ModerationMode;
  isHeldByFilter: boolean;
  now: number;
}

/** [P2] Under pre-moderation, or when the word filter holds it, a new post starts pending. */
export function newPost(input: NewPostInput): Post {
  const heldReason: HeldReason | null = input.isHeldByFilter
    ? 'word_filter'
    : input.moderation === 'pre'
      ? 'premoderation'
      : null;
  return {
    id: input.id,
    sessionId: input.sessionId,
    kind: input.kind,
    text: input.text,
    displayName: input.displayName,
    authorDevice: input.authorDevice,
    status: heldReason ? 'pending' : 'visible',
    version: 1,
    createdAt: input.now,
    updatedAt: input.now,
    isHighlighted: false,
    isPinned: false,
    isFromRoom: input.isFromRoom,
    heldReason,
    hideReason: null,
    history: [],
    topicId: null,
    directedTo: null,
    mergedInto: null,
    merged: [],
    mergedAuthors: [],
    followUpPromisedBy: null,
  };
}

/**
 * [M7] A moderator's correction of the text (a typo, a missing word). The author's words are
 * never lost: the replaced wording joins the history that every view shows.
 */
export function editText(post: Post, text: string, now: number): ModerationResult {
  if (text === post.text)
    return { ok: false, code: 'invalid_state', message: 'the text is unchanged' };
  return {
    ok: true,
    post: {
      ...post,
      text,
      history: [...(post.history ?? []), { text: post.text, editedAt: now }],
      version: post.version + 1,
      updatedAt: now,
    },
  };
}

export type ModerationAction =
  | { type: 'approve' }
  | { type: 'hide'; reason: string }
  | { type: 'restore' }
  | { type: 'answer' }
  | { type: 'highlight' }
  | { type: 'unhighlight' }
  | { type: 'pin' }
  | { type: 'unpin' }
  | { type: 'reopen' }
  | { type: 'unapprove' }
  | { type: 'tag'; topicId: string | null }
  | { type: 'direct'; panelMemberId: string | null }
  | { type: 'promise'; panelMemberId: string; name: string }
  | { type: 'unpromise' };

export type ModerationType = ModerationAction['type'];

export type ModerationResult =
  { ok: true; post: Post } | { ok: false; code: 'invalid_state'; message: string };

const isPublicStatus = (status: PostStatus) => status === 'visible' || status === 'answered';

/** [P3] Only visible and answered posts are public: attendees and the wall see nothing else. */
export function isPublic(post: Pick<Post, 'status'>): boolean {
  return isPublicStatus(post.status);
}

export function moderate(post: Post, action: ModerationAction, now: number): ModerationResult {
  if (!canApply(post, action.type)) {
    return {
      ok: false,
      code: 'invalid_state',
      message: `cannot ${action.type} a ${post.status} post`,
    };
  }
  const next = (change: Partial<Post>): ModerationResult => ({
    ok: true,
    post: { ...post, ...change, version: post.version + 1, updatedAt: now },
  });
  switch (action.type) {
    case 'approve':
      return next({ status: 'visible', heldReason: null });
    case 'hide':
      // [M2] A hidden post leaves the wall: it loses its highlight and pin.
      return next({
        status: 'hidden',
        hideReason: action.reason,
        isHighlighted: false,
        isPinned: false,
      });
    case 'restore':
      return next({ status: 'visible', hideReason: null, heldReason: null });
    case 'answer':
      return next({ status: 'answered' });
    case 'highlight':
      return next({ isHighlighted: true });
    case 'unhighlight':
      if (!post.isHighlighted)
        return { ok: false, code: 'invalid_state', message: 'post is not highlighted' };
      return next({ isHighlighted: false });
    case 'pin':
      return next({ isPinned: true });
    case 'unpin':
      if (!post.isPinned)
        return { ok: false, code: 'invalid_state', message: 'post is not pinned' };
      return next({ isPinned: false });
    case 'reopen':
      return next({ status: 'visible' });
    case 'unapprove':
      // [M3] A pending post is on no wall: back to waiting, it loses its highlight and pin.
      return next({
        status: 'pending',
        heldReason: 'premoderation',
        isHighlighted: false,
        isPinned: false,
      });
    case 'tag':
      if ((post.topicId ?? null) === action.topicId)
        return { ok: false, code: 'invalid_state', message: 'the post already has this topic' };
      return next({ topicId: action.topicId });
    case 'direct':
      if ((post.directedTo ?? null) === action.panelMemberId)
        return { ok: false, code: 'invalid_state', message: 'the post is already directed so' };
      return next({ directedTo: action.panelMemberId });
    case 'promise':
      if (post.followUpPromisedBy?.panelMemberId === action.panelMemberId)
        return { ok: false, code: 'invalid_state', message: 'this member has promised already' };
      return next({
        followUpPromisedBy: { panelMemberId: action.panelMemberId, name: action.name, at: now },
      });
    case 'unpromise':
      if (!post.followUpPromisedBy)
        return { ok: false, code: 'invalid_state', message: 'no follow-up is promised' };
      return next({ followUpPromisedBy: null });
  }
}

/** A post before and after a change: what the store writes and what the streams announce. */
export interface PostTransition {
  before: Post;
  after: Post;
}

/**
 * [M3] One highlighted post per session: highlighting a post takes the highlight off the
 * one that had it. Returns every post that changes, the target last.
 */
export function highlightChanges(
  target: Post,
  others: readonly Post[],
  now: number,
): { ok: true; changes: PostTransition[] } | { ok: false; code: 'invalid_state'; message: string } {
  const result = moderate(target, { type: 'highlight' }, now);
  if (!result.ok) return result;
  const cleared = others
    .filter((p) => p.id !== target.id && p.isHighlighted)
    .map((p) => ({
      before: p,
      after: { ...p, isHighlighted: false, version: p.version + 1, updatedAt: now },
    }));
  return { ok: true, changes: [...cleared, { before: target, after: result.post }] };
}

/**
 * What a post looks like on the wire. The devices never leave the server; `voices` counts
 * the distinct authors of the post and of the posts merged into it [M13].
 */
export type PostView = Omit<Post, 'authorDevice' | 'mergedAuthors'> & { voices: number };

/** [P4] The public view: what attendees and the wall may see of a public post. */
export function publicView(post: Post): PostView {
  return { ...fullView(post), heldReason: null, hideReason: null };
}

/** Staff and the author see the whole post, including why it waits or was hidden. */
export function fullView(post: Post): PostView {
  const { authorDevice: _device, mergedAuthors: _authors, ...view } = post;
  // Posts stored before edits, tags, directions, merges or promises existed lack those
  // fields [M10] [M13] [M14].
  return {
    ...view,
    history: post.history ?? [],
    topicId: post.topicId ?? null,
    directedTo: post.directedTo ?? null,
    mergedInto: post.mergedInto ?? null,
    merged: post.merged ?? [],
    followUpPromisedBy: post.followUpPromisedBy ?? null,
    voices: new Set([voiceOf(post), ...(post.mergedAuthors ?? [])]).size,
  };
}

/** [M13] Who a post speaks for: its author's device, or the post itself when typed in from the room. */
function voiceOf(post: Post): string {
  return post.authorDevice ?? `room:${post.id}`;
}

/** The most posts one merge takes in (SPEC M13). */
export const MAX_MERGE_SOURCES = 20;

/**
 * [M13] Merge duplicates into a target: the target must be public or pending, each source
 * any status but hidden, all of one session, the target not among the sources. The sources
 * are hidden (off every public screen, their highlight and pin gone) and point at the target;
 * the target shows their texts under it and counts their authors as its voices. Moving the
 * votes is the store's part (one vote per device). Returns the sources first, the target last.
 */
export function mergeChanges(
  target: Post,
  sources: readonly Post[],
  now: number,
): { ok: true; changes: PostTransition[] } | { ok: false; code: 'invalid_state'; message: string } {
  const refuse = (message: string) => ({
    ok: false as const,
    code: 'invalid_state' as const,
    message,
  });
  if (target.status === 'hidden') return refuse('cannot merge into a hidden post');
  if (sources.length === 0 || sources.length > MAX_MERGE_SOURCES)
    return refuse(`merge takes 1 to ${MAX_MERGE_SOURCES} posts`);
  const ids = new Set<string>();
  for (const source of sources) {
    if (source.id === target.id) return refuse('cannot merge a post into itself');
    if (ids.has(source.id)) return refuse('a post is listed twice');
    ids.add(source.id);
    if (source.sessionId !== target.sessionId) return refuse('the posts are in different sessions');
    if (source.status === 'hidden') return refuse('cannot merge a hidden post');
  }
  const hidden: PostTransition[] = sources.map((source) => ({
    before: source,
    after: {
      ...source,
      status: 'hidden',
      hideReason: null,
      isHighlighted: false,
      isPinned: false,
      mergedInto: target.id,
      version: source.version + 1,
      updatedAt: now,
    },
  }));
  const authors = new Set(target.mergedAuthors ?? []);
  const merged = [...(target.merged ?? [])];
  for (const source of sources) {
    authors.add(voiceOf(source));
    for (const author of source.mergedAuthors ?? []) authors.add(author);
    merged.push({ id: source.id, text: source.text, authorName: source.displayName });
    // A source that had merged texts of its own hands them on.
    merged.push(...(source.merged ?? []));
  }
  authors.delete(voiceOf(target));
  return {
    ok: true,
    changes: [
      ...hidden,
      {
        before: target,
        after: {
          ...target,
          merged,
          mergedAuthors: [...authors],
          version: target.version + 1,
          updatedAt: now,
        },
      },
    ],
  };
}
