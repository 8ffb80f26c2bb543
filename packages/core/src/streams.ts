/**
 * Which stream hears what (SPEC S1-S4). Every change to a post becomes at most one update on
 * each stream it concerns: the public stream (attendees, wall) only ever carries public
 * views of public posts; the staff stream carries everything; the author's private stream
 * carries their own posts in full. The store appends these atomically with the change and
 * numbers them; transport only relays.
 */
import type { DeviceId } from './ids.js';
import type { Post, PostView } from './post.js';
import { fullView, isPublic, publicView } from './post.js';
import type { Session } from './session.js';
import type { MicTicketView, QueueStaffView, QueueSummary } from './speaker-queue.js';
import type { PollAnswerView, PollView } from './poll-streams.js';

/** The stream a log entry belongs to. Private streams are per device. */
export type StreamKey = 'public' | 'staff' | `private:${string}`;

export function privateStream(device: DeviceId): StreamKey {
  return `private:${device}`;
}

export type StreamUpdate =
  | { type: 'post:created'; post: PostView }
  | { type: 'post:updated'; post: PostView }
  /** The post left this stream's view (hidden, or otherwise no longer public). */
  | { type: 'post:withdrawn'; postId: string }
  | { type: 'session:updated'; session: SessionView }
  /** [Q4] The speaker queue: numbers only on the public stream, with names for staff. */
  | { type: 'queue:updated'; queue: QueueSummary | QueueStaffView }
  /** [Q4] The device's own microphone ticket (its private stream). */
  | { type: 'mic:ticket'; ticket: MicTicketView }
  /** [PL9] A poll: every one to staff, opened and closed ones to the public. */
  | { type: 'poll:updated'; poll: PollView }
  /** [PL9] The device's own answer (its private stream). */
  | { type: 'poll:answered'; answer: PollAnswerView };

export interface StreamAppend {
  stream: StreamKey;
  update: StreamUpdate;
}

/** A numbered entry in a stream's log. */
export interface StreamEntry {
  seq: number;
  update: StreamUpdate;
}

export type SessionView = Omit<Session, 'orgId'>;

export function sessionView(session: Session): SessionView {
  const { orgId: _org, ...view } = session;
  return view;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The appends for one post going from `before` (null: new) to `after`. */
export function postAppends(before: Post | null, after: Post): StreamAppend[] {
  const out: StreamAppend[] = [];
  const wasPublic = before !== null && isPublic(before);
  if (isPublic(after)) {
    const view = publicView(after);
    if (!wasPublic) out.push({ stream: 'public', update: { type: 'post:created', post: view } });
    // Only a change the public can see advances the public stream.
    else if (!same(publicView(before), view))
      out.push({ stream: 'public', update: { type: 'post:updated', post: view } });
  } else if (wasPublic) {
    out.push({ stream: 'public', update: { type: 'post:withdrawn', postId: after.id } });
  }
  const full = fullView(after);
  const type = before === null ? 'post:created' : 'post:updated';
  out.push({ stream: 'staff', update: { type, post: full } });
  if (after.authorDevice)
    out.push({ stream: privateStream(after.authorDevice), update: { type, post: full } });
  return out;
}

/** Settings are public: the wall and phones need to know if posting is open. */
export function sessionAppends(session: Session): StreamAppend[] {
  const view = sessionView(session);
  return [
    { stream: 'public', update: { type: 'session:updated', session: view } },
    { stream: 'staff', update: { type: 'session:updated', session: view } },
  ];
}

/** The posts a stream's snapshot holds, in its view. */
export function streamPosts(stream: StreamKey, posts: readonly Post[]): PostView[] {
  if (stream === 'public') return posts.filter(isPublic).map(publicView);
  if (stream === 'staff') return posts.map(fullView);
  const device = stream.slice('private:'.length);
  return posts.filter((p) => p.authorDevice === device).map(fullView);
}
