import { describe, expect, it } from 'vitest';
import type { OutboxItem } from '../realtime/outbox.js';
import type { ViewPost } from '../realtime/replica-view.js';
import type { Counts, SessionWire } from '../realtime/types.js';
import {
  consoleList,
  exposureOf,
  matchesSearch,
  minutesSince,
  moderationQueue,
} from './console-views.js';
import {
  holdBack,
  ownPosts,
  publicPosts,
  sortFresh,
  sortNew,
  sortPosts,
  sortTop,
  votesOf,
} from './views.js';
import { postWire } from '../realtime/testing/post-wire.js';
import { freezeOf, frozenWallView, wallView } from './wall-views.js';
import type { WallMode } from './wall-views.js';

const post = (id: string, change: Partial<ViewPost> = {}): ViewPost => ({
  ...postWire(id),
  isMine: false,
  ...change,
});
const counts = (votes?: Record<string, number>): Counts => ({
  sessionId: 'ses_00000001',
  reactions: { applause: 3 },
  ...(votes ? { votes } : {}),
});
const ids = (posts: readonly { id: string }[]) => posts.map((p) => p.id);

describe('ordering posts for attendees', () => {
  const posts = [
    post('old-popular', { createdAt: 1 }),
    post('late-popular', { createdAt: 5 }),
    post('pinned', { createdAt: 3, isPinned: true }),
    post('quiet', { createdAt: 2 }),
  ];

  it('"top": pinned first, then more votes, and a tie goes to the older post', () => {
    const top = sortTop(posts, counts({ 'old-popular': 4, 'late-popular': 4, quiet: 1 }));
    expect(ids(top)).toEqual(['pinned', 'old-popular', 'late-popular', 'quiet']);
  });

  it('"top" without vote counts (hidden votes) ranks by nothing the room cannot see: oldest first', () => {
    expect(ids(sortTop(posts, counts()))).toEqual([
      'pinned',
      'old-popular',
      'quiet',
      'late-popular',
    ]);
  });

  it('"new": pinned first, then newest first', () => {
    expect(ids(sortNew(posts))).toEqual(['pinned', 'late-popular', 'quiet', 'old-popular']);
    expect(ids(sortPosts(posts, 'new', counts({ quiet: 9 })))).toEqual(ids(sortNew(posts)));
  });

  it('shows the room only visible and answered posts, never someone’s pending or hidden one', () => {
    const mixed = [
      post('v'),
      post('a', { status: 'answered' }),
      post('p', { status: 'pending', isMine: true }),
      post('h', { status: 'hidden', isMine: true }),
    ];
    expect(ids(publicPosts(mixed))).toEqual(['v', 'a']);
  });

  it('reports vote counts as null when they are hidden, and zero for a post nobody voted for', () => {
    expect(votesOf(counts(), 'x')).toBeNull();
    expect(votesOf(counts({ y: 2 }), 'x')).toBe(0);
    expect(votesOf(counts({ y: 2 }), 'y')).toBe(2);
  });
});

describe('"fresh voices" for attendees', () => {
  const posts = [
    post('seen-a-lot', { createdAt: 1 }),
    post('unseen-late', { createdAt: 9 }),
    post('unseen-early', { createdAt: 4 }),
    post('pinned', { createdAt: 3, isPinned: true }),
  ];

  it('[K4] least exposure first, equal exposure the older post first, pinned on top', () => {
    const withExposure = {
      ...counts({ 'seen-a-lot': 9 }),
      exposure: { 'seen-a-lot': 34 },
    } as Counts;
    expect(ids(sortFresh(posts, withExposure))).toEqual([
      'pinned',
      'unseen-early',
      'unseen-late',
      'seen-a-lot',
    ]);
    expect(ids(sortPosts(posts, 'fresh', withExposure))).toEqual(
      ids(sortFresh(posts, withExposure)),
    );
  });

  it('[K4] counts without exposure count every post as unseen: oldest first', () => {
    expect(ids(sortFresh(posts, counts()))).toEqual([
      'pinned',
      'seen-a-lot',
      'unseen-early',
      'unseen-late',
    ]);
  });
});

describe('[AP2] a list that does not move under the reader’s thumb', () => {
  const a = post('a', { createdAt: 1 });
  const b = post('b', { createdAt: 2 });
  const c = post('c', { createdAt: 3 });

  it('holds back posts that arrived since the list was arranged, and keeps the arranged order', () => {
    // Arranged as "top" when a led; now c has the most votes and d has arrived.
    const d = post('d', { createdAt: 4 });
    const now = sortTop([a, b, c, d], counts({ c: 5, a: 1 }));
    const { shown, held } = holdBack(now, ['a', 'b', 'c']);
    expect(ids(shown)).toEqual(['a', 'b', 'c']);
    expect(ids(held)).toEqual(['d']);
  });

  it('shows the reader’s own new post at once, where the order puts it', () => {
    const mine = post('mine', { createdAt: 5, isMine: true });
    const now = sortNew([a, b, c, mine]);
    expect(ids(holdBack(now, ['c', 'b', 'a']).shown)).toEqual(['mine', 'c', 'b', 'a']);
    const top = sortTop([a, b, c, mine], counts({ a: 2, mine: 1 }));
    expect(ids(holdBack(top, ['a', 'b', 'c']).shown)).toEqual(['a', 'mine', 'b', 'c']);
  });

  it('lets a post that left the room leave at once, and shows live changes inside a post', () => {
    const answered = { ...b, status: 'answered' as const };
    const { shown, held } = holdBack([answered, c], ['a', 'b', 'c']);
    expect(shown).toEqual([answered, c]);
    expect(held).toEqual([]);
  });
});

describe('an attendee’s own posts', () => {
  it('lists unsent and failed ones first, then sent ones newest first, with their status', () => {
    const unsent = (commandId: string, createdAt: number, state: 'sending' | 'failed') =>
      ({
        commandId,
        name: 'post:create',
        payload: { sessionId: 's', commandId, kind: 'question', text: commandId },
        createdAt,
        state,
      }) as OutboxItem;
    const vote = {
      commandId: 'vote0001',
      name: 'post:upvote',
      payload: { sessionId: 's', commandId: 'vote0001', postId: 'x', isOn: true },
      createdAt: 9,
      state: 'sending',
    } as OutboxItem;
    const entries = ownPosts(
      [
        post('mine-old', { isMine: true, createdAt: 1, status: 'hidden', hideReason: 'spam' }),
        post('theirs', { createdAt: 2 }),
        post('mine-new', { isMine: true, createdAt: 3, status: 'pending' }),
      ],
      [unsent('first0001', 5, 'failed'), vote, unsent('second001', 6, 'sending')],
    );
    expect(
      entries.map((e) =>
        e.kind === 'post' ? [e.post.id, e.post.status] : [e.item.commandId, e.item.state],
      ),
    ).toEqual([
      ['second001', 'sending'],
      ['first0001', 'failed'],
      ['mine-new', 'pending'],
      ['mine-old', 'hidden'],
    ]);
  });
});

describe('the moderation queue', () => {
  it('groups posts by status with counts: pending first come first served, recent decisions first', () => {
    const queue = moderationQueue(
      [
        post('p-late', { status: 'pending', createdAt: 9 }),
        post('p-early', { status: 'pending', createdAt: 2 }),
        post('v-voted', { createdAt: 5 }),
        post('v-plain', { createdAt: 1, isHighlighted: true }),
        post('a-old', { status: 'answered', updatedAt: 3 }),
        post('a-new', { status: 'answered', updatedAt: 8 }),
        post('h', { status: 'hidden' }),
      ],
      counts({ 'v-voted': 2 }),
    );
    expect(ids(queue.pending)).toEqual(['p-early', 'p-late']);
    expect(ids(queue.visible)).toEqual(['v-voted', 'v-plain']);
    expect(ids(queue.answered)).toEqual(['a-new', 'a-old']);
    expect(ids(queue.hidden)).toEqual(['h']);
    expect(queue.counts).toEqual({ pending: 2, visible: 2, answered: 2, hidden: 1 });
    expect(queue.highlighted?.id).toBe('v-plain');
  });
});

describe('the wall', () => {
  const session = { title: 'Biblioteket', joinCode: '123456' } as SessionWire;

  it('shows the highlighted post large and the next visible ones under it, pinned first', () => {
    const wall = wallView(
      {
        session,
        posts: [
          post('big', { isHighlighted: true, createdAt: 1 }),
          post('answered', { status: 'answered', createdAt: 2 }),
          post('one', { createdAt: 3 }),
          post('two', { createdAt: 4 }),
          post('pinned', { createdAt: 5, isPinned: true }),
          post('three', { createdAt: 6 }),
        ],
        counts: counts({ two: 5 }),
      },
      { nextCount: 3 },
    );
    expect(wall).toMatchObject({
      title: 'Biblioteket',
      joinCode: '123456',
      reactions: { applause: 3 },
    });
    expect(wall.highlighted?.id).toBe('big');
    expect(ids(wall.next)).toEqual(['pinned', 'two', 'one']);
    expect(wall.votes).toEqual({ two: 5 });
  });

  it('shows nothing large when nothing is highlighted, and no vote counts when they are hidden', () => {
    const wall = wallView({ session: null, posts: [post('a')], counts: counts() });
    expect(wall.highlighted).toBeNull();
    expect(ids(wall.next)).toEqual(['a']);
    expect(wall.votes).toBeNull();
    expect(wall.title).toBe('');
  });

  const withSettings = (settings: Partial<SessionWire['settings']>) =>
    ({ title: 'Biblioteket', joinCode: '123456', settings }) as SessionWire;
  const room = [
    post('big', { isHighlighted: true, createdAt: 1 }),
    post('old', { createdAt: 2 }),
    post('popular', { createdAt: 3 }),
    post('pinned', { createdAt: 4, isPinned: true }),
    post('new', { createdAt: 5 }),
    post('done', { createdAt: 6, status: 'answered' }),
  ];
  const modeView = (wallMode: WallMode, rotation: string[] | null = null) =>
    wallView(
      { session: withSettings({ wallMode }), posts: room, counts: counts({ popular: 9 }) },
      { rotation },
    );

  it('[WL6] "highlight": the highlighted post alone', () => {
    const wall = modeView('highlight');
    expect(wall.highlighted?.id).toBe('big');
    expect(wall.next).toEqual([]);
  });

  it('[WL6] "top": pinned first, then the most voted, never the highlighted or an answered one', () => {
    expect(ids(modeView('top').next)).toEqual(['pinned', 'popular', 'old']);
  });

  it('[WL6] "pinned": only pinned posts are listed', () => {
    expect(ids(modeView('pinned').next)).toEqual(['pinned']);
  });

  it('[WL6] "fresh": exactly the server’s rotation, in its order, leaving out posts no longer listed', () => {
    expect(ids(modeView('fresh', ['pinned', 'new', 'done', 'old', 'big']).next)).toEqual([
      'pinned',
      'new',
      'old',
    ]);
    // Before the first turn arrives: pinned first, then the least seen, oldest first (K4);
    // votes do not count.
    expect(ids(modeView('fresh').next)).toEqual(['pinned', 'old', 'popular']);
  });

  it('[WL6] [FV2] "top": the server’s list once it has one, not a re-sort on every vote, so the wall shows what the server counts', () => {
    expect(ids(modeView('top', ['pinned', 'old', 'new']).next)).toEqual(['pinned', 'old', 'new']);
  });

  it('[WL6] [FV3] a pinned post stays in view in every listing mode, with no votes and the most wall time, even when pinned after the server’s last list', () => {
    const seen = { sessionId: 'ses_00000001', reactions: {}, votes: { old: 4, popular: 9 } };
    const exposure = { pinned: 500, old: 1 };
    for (const wallMode of ['top', 'fresh', 'pinned'] as const) {
      for (const rotation of [null, ['old', 'popular', 'new']]) {
        const wall = wallView(
          { session: withSettings({ wallMode }), posts: room, counts: { ...seen, exposure } },
          { rotation },
        );
        expect(wall.next[0]?.id, `${wallMode} ${JSON.stringify(rotation)}`).toBe('pinned');
        expect(wall.next.length, wallMode).toBe(wallMode === 'pinned' ? 1 : 3);
      }
    }
  });

  it('[WL6] a frozen wall keeps its posts while the room moves on, but a hidden post still leaves', () => {
    const session = withSettings({ wallMode: 'top', wallOverride: 'freeze' });
    const before = wallView({ session, posts: room, counts: counts({ popular: 9 }) });
    const frozen = freezeOf(before);
    // Meanwhile: another post is highlighted, a new one is voted up, "old" gets a typo fixed
    // and "popular" is hidden by a moderator.
    const later = [
      post('big', { createdAt: 1 }),
      post('old', { createdAt: 2, text: 'Rettet tekst', version: 2 }),
      post('popular', { createdAt: 3, status: 'hidden' }),
      post('pinned', { createdAt: 4, isPinned: true }),
      post('new', { createdAt: 5, isHighlighted: true }),
      post('newest', { createdAt: 7 }),
    ];
    const live = wallView({ session, posts: later, counts: counts({ newest: 50 }) });
    const wall = frozenWallView(live, frozen, later);
    expect(wall.highlighted?.id).toBe('big');
    expect(ids(wall.next)).toEqual(['pinned', 'old']);
    expect(wall.next[1]?.text).toBe('Rettet tekst');
    expect(wall.override).toBe('freeze');
  });
});

describe('the console queue: tabs, search and sort', () => {
  const posts = [
    post('p-old', { status: 'pending', createdAt: 1, text: 'Cykelsti i Århus?' }),
    post('p-new', { status: 'pending', createdAt: 9, text: 'Bænke i parken', displayName: 'Åse' }),
    post('v-first', { createdAt: 2 }),
    post('v-second', { createdAt: 3, isPinned: true }),
    post('v-third', { createdAt: 4, isHighlighted: true }),
    post('answered', { status: 'answered', createdAt: 5, isPinned: true }),
    post('hidden', { status: 'hidden', createdAt: 6, isPinned: false }),
  ];
  const query = { tab: 'visible', search: '', sort: 'time' } as const;

  it('[M1] counts every tab; "live" is what the room sees featured (highlighted or pinned)', () => {
    const list = consoleList(posts, counts({}), query);
    expect(list.counts).toEqual({ pending: 2, visible: 3, answered: 1, hidden: 1, live: 3 });
    expect(ids(consoleList(posts, counts({}), { ...query, tab: 'live' }).posts)).toEqual([
      'v-second',
      'v-third',
      'answered',
    ]);
  });

  it('"time" is first come, first served for pending and visible posts', () => {
    expect(ids(consoleList(posts, counts({}), { ...query, tab: 'pending' }).posts)).toEqual([
      'p-old',
      'p-new',
    ]);
    expect(ids(consoleList(posts, counts({}), query).posts)).toEqual([
      'v-first',
      'v-second',
      'v-third',
    ]);
  });

  it('"votes" puts the most voted first (ties to the older), and falls back to time without counts', () => {
    const votes = counts({ 'v-first': 1, 'v-second': 5, 'v-third': 5 });
    expect(ids(consoleList(posts, votes, { ...query, sort: 'votes' }).posts)).toEqual([
      'v-second',
      'v-third',
      'v-first',
    ]);
    expect(ids(consoleList(posts, counts(), { ...query, sort: 'votes' }).posts)).toEqual([
      'v-first',
      'v-second',
      'v-third',
    ]);
  });

  it('[K4] "exposure" puts the least exposed first once the counts carry exposure', () => {
    const withExposure: Counts = { ...counts({}), exposure: { 'v-first': 30, 'v-second': 2 } };
    expect(exposureOf(withExposure, 'v-third')).toBe(0);
    expect(exposureOf(counts({}), 'v-third')).toBeNull();
    expect(ids(consoleList(posts, withExposure, { ...query, sort: 'exposure' }).posts)).toEqual([
      'v-third',
      'v-second',
      'v-first',
    ]);
  });

  it('[D1] search folds case and Danish letters, and every typed word must match', () => {
    const pending = { ...query, tab: 'pending' } as const;
    expect(ids(consoleList(posts, counts({}), { ...pending, search: 'aarhus' }).posts)).toEqual([
      'p-old',
    ]);
    expect(ids(consoleList(posts, counts({}), { ...pending, search: 'AASE' }).posts)).toEqual([
      'p-new',
    ]);
    const none = consoleList(posts, counts({}), { ...pending, search: 'cykelsti parken' });
    expect(none.posts).toEqual([]);
    expect(none.filteredOut).toBe(2);
    expect(none.counts.pending).toBe(2);
    expect(
      matchesSearch(
        post('x', { text: 'ny', history: [{ text: 'gammel', editedAt: 1 }] }),
        'gammel',
      ),
    ).toBe(true);
  });

  it('filters by topic and by the panel member a post is directed to', () => {
    const tagged = [
      post('a', { topicId: 'tpc_00000001', directedTo: 'pm_1' }),
      post('b', { topicId: 'tpc_00000002', directedTo: 'pm_1' }),
      post('c', { topicId: null, directedTo: null }),
    ];
    const base = { tab: 'visible', search: '', sort: 'time' } as const;
    expect(
      ids(consoleList(tagged, counts({}), { ...base, topicId: 'tpc_00000001' }).posts),
    ).toEqual(['a']);
    expect(ids(consoleList(tagged, counts({}), { ...base, panelMemberId: 'pm_1' }).posts)).toEqual([
      'a',
      'b',
    ]);
    const both = consoleList(tagged, counts({}), {
      ...base,
      topicId: 'tpc_00000002',
      panelMemberId: 'pm_1',
    });
    expect(ids(both.posts)).toEqual(['b']);
    expect(both.filteredOut).toBe(2);
    expect(ids(consoleList(tagged, counts({}), { ...base, topicId: '' }).posts)).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('waiting time is whole minutes, never negative', () => {
    expect(minutesSince(0, 59_999)).toBe(0);
    expect(minutesSince(0, 125_000)).toBe(2);
    expect(minutesSince(10, 0)).toBe(0);
  });
});
