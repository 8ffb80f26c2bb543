/**
 * Every SQL statement the SQLite store runs, prepared once per connection. The schema they
 * read and write is migrations.ts's; the store (sqlite-store.ts) decides when to run them.
 */
import type Database from 'better-sqlite3';
import { prepareMemberStatements } from './sqlite-member-statements.js';

interface DataRow {
  data: string;
}

/** Every statement the store runs, prepared once. */
export function prepareStatements(db: Database.Database) {
  return {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    savepoint: db.prepare('SAVEPOINT op'),
    release: db.prepare('RELEASE op'),
    rollbackTo: db.prepare('ROLLBACK TO op'),
    /** Runs a function inside BEGIN ... COMMIT: reads in it see one moment. */
    readTransaction: db.transaction((fn: () => unknown): unknown => fn()),
    ping: db.prepare('SELECT 1'),
    ...prepareMemberStatements(db),

    upsertOrg: db.prepare<[string, string]>(
      'INSERT INTO organisations (id, data) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data',
    ),
    getOrg: db.prepare<[string], DataRow>('SELECT data FROM organisations WHERE id = ?'),

    insertEvent: db.prepare<[string, string, number, string]>(
      'INSERT INTO events (id, org_id, created_at, data) VALUES (?, ?, ?, ?)',
    ),
    getEvent: db.prepare<[string], DataRow>('SELECT data FROM events WHERE id = ?'),
    listEvents: db.prepare<[string], DataRow>(
      'SELECT data FROM events WHERE org_id = ? ORDER BY created_at DESC, id DESC',
    ),

    insertSession: db.prepare<[string, string, string, number, number, string]>(
      'INSERT INTO sessions (id, event_id, join_code, version, created_at, data) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    updateSession: db.prepare<[string, string, number, number, string, string]>(
      'UPDATE sessions SET event_id = ?, join_code = ?, version = ?, created_at = ?, data = ? WHERE id = ?',
    ),
    getSession: db.prepare<[string], DataRow>('SELECT data FROM sessions WHERE id = ?'),
    sessionByCode: db.prepare<[string], DataRow>('SELECT data FROM sessions WHERE join_code = ?'),
    listSessions: db.prepare<[string], DataRow>(
      'SELECT data FROM sessions WHERE event_id = ? ORDER BY created_at, id',
    ),

    getCommand: db.prepare<[string, string], { ack: string }>(
      'SELECT ack FROM commands WHERE actor = ? AND command_id = ?',
    ),
    insertCommand: db.prepare<[string, string, string, number]>(
      'INSERT INTO commands (actor, command_id, ack, created_at) VALUES (?, ?, ?, ?)',
    ),

    getPost: db.prepare<[string, string], DataRow & { version: number }>(
      'SELECT data, version FROM posts WHERE session_id = ? AND id = ?',
    ),
    listPosts: db.prepare<[string], DataRow>(
      'SELECT data FROM posts WHERE session_id = ? ORDER BY created_at, id',
    ),
    insertPost: db.prepare<[string, string, number, number, string, string | null]>(
      'INSERT INTO posts (session_id, id, version, created_at, data, author_device) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    listDevicePosts: db.prepare<[string], DataRow>(
      'SELECT data FROM posts WHERE author_device = ? ORDER BY created_at, id',
    ),
    insertTopic: db.prepare<[string, string, number, string]>(
      'INSERT INTO topics (id, event_id, created_at, data) VALUES (?, ?, ?, ?)',
    ),
    getTopic: db.prepare<[string], DataRow>('SELECT data FROM topics WHERE id = ?'),
    listTopics: db.prepare<[string], DataRow>(
      'SELECT data FROM topics WHERE event_id = ? ORDER BY created_at, id',
    ),
    insertFollowUp: db.prepare<[string, string, string, number, number, string]>(
      'INSERT INTO follow_ups (id, topic_id, follow_key, consented_at, delete_after, data) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    updateFollowUp: db.prepare<[number, string, string]>(
      'UPDATE follow_ups SET delete_after = ?, data = ? WHERE id = ?',
    ),
    getFollowUp: db.prepare<[string], DataRow>('SELECT data FROM follow_ups WHERE id = ?'),
    saveLink: db.prepare<[string, string, number, string]>(
      'INSERT INTO moderator_links (id, session_id, created_at, data) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data',
    ),
    getLink: db.prepare<[string], DataRow>('SELECT data FROM moderator_links WHERE id = ?'),
    listLinks: db.prepare<[string], DataRow>(
      'SELECT data FROM moderator_links WHERE session_id = ? ORDER BY created_at, id',
    ),
    followUpsByKey: db.prepare<[string], DataRow>(
      'SELECT data FROM follow_ups WHERE follow_key = ? ORDER BY consented_at, id',
    ),
    // Uses the follow_ups_by_deletion index.
    deleteFollowUpsDueBy: db.prepare<[number]>('DELETE FROM follow_ups WHERE delete_after <= ?'),
    followUpsByTopic: db.prepare<[string], DataRow>(
      'SELECT data FROM follow_ups WHERE topic_id = ? ORDER BY consented_at, id',
    ),
    updatePost: db.prepare<[number, number, string, string, string]>(
      'UPDATE posts SET version = ?, created_at = ?, data = ? WHERE session_id = ? AND id = ?',
    ),

    insertVote: db.prepare<[string, string, string]>(
      'INSERT OR IGNORE INTO votes (session_id, post_id, device_id) VALUES (?, ?, ?)',
    ),
    deleteVote: db.prepare<[string, string, string]>(
      'DELETE FROM votes WHERE session_id = ? AND post_id = ? AND device_id = ?',
    ),
    moveVotes: db.prepare<[string, string, string]>(
      `INSERT OR IGNORE INTO votes (session_id, post_id, device_id)
       SELECT session_id, ?, device_id FROM votes WHERE session_id = ? AND post_id = ?`,
    ),
    clearVotes: db.prepare<[string, string]>(
      'DELETE FROM votes WHERE session_id = ? AND post_id = ?',
    ),
    clearVoteCount: db.prepare<[string, string]>(
      'DELETE FROM vote_counts WHERE session_id = ? AND post_id = ?',
    ),
    recountVotes: db.prepare<[string, string, string, string]>(
      `INSERT INTO vote_counts (session_id, post_id, count)
       SELECT ?, ?, COUNT(*) FROM votes WHERE session_id = ? AND post_id = ?
       ON CONFLICT (session_id, post_id) DO UPDATE SET count = excluded.count`,
    ),
    addVoteCount: db.prepare<[string, string, number]>(
      `INSERT INTO vote_counts (session_id, post_id, count) VALUES (?, ?, ?)
       ON CONFLICT (session_id, post_id) DO UPDATE SET count = count + excluded.count`,
    ),
    voteCounts: db.prepare<[string], { post_id: string; count: number }>(
      'SELECT post_id, count FROM vote_counts WHERE session_id = ? AND count > 0 ORDER BY post_id',
    ),
    listDeviceVotes: db.prepare<[string, string], { post_id: string }>(
      'SELECT post_id FROM votes WHERE session_id = ? AND device_id = ? ORDER BY post_id',
    ),
    addReaction: db.prepare<[string, string, number]>(
      `INSERT INTO reaction_counts (session_id, name, count) VALUES (?, ?, ?)
       ON CONFLICT (session_id, name) DO UPDATE SET count = count + excluded.count`,
    ),
    reactionCounts: db.prepare<[string], { name: string; count: number }>(
      'SELECT name, count FROM reaction_counts WHERE session_id = ? ORDER BY name',
    ),

    getHead: db.prepare<[string, string], { head: number }>(
      'SELECT head FROM stream_heads WHERE session_id = ? AND stream = ?',
    ),
    bumpHead: db.prepare<[string, string], { head: number }>(
      `INSERT INTO stream_heads (session_id, stream, head) VALUES (?, ?, 1)
       ON CONFLICT (session_id, stream) DO UPDATE SET head = head + 1
       RETURNING head`,
    ),
    insertEntry: db.prepare<[string, string, number, string]>(
      'INSERT INTO stream_entries (session_id, stream, seq, data) VALUES (?, ?, ?, ?)',
    ),
    trimEntries: db.prepare<[string, string, number]>(
      'DELETE FROM stream_entries WHERE session_id = ? AND stream = ? AND seq <= ?',
    ),
    insertSeen: db.prepare<[string, string, string]>(
      'INSERT OR IGNORE INTO impressions_seen (session_id, post_id, device_id) VALUES (?, ?, ?)',
    ),
    addExposure: db.prepare<[string, string, number, number]>(
      `INSERT INTO exposure (session_id, post_id, wall_seconds, impressions) VALUES (?, ?, ?, ?)
       ON CONFLICT (session_id, post_id) DO UPDATE SET
         wall_seconds = wall_seconds + excluded.wall_seconds,
         impressions = impressions + excluded.impressions`,
    ),
    exposure: db.prepare<[string], { post_id: string; wall_seconds: number; impressions: number }>(
      'SELECT post_id, wall_seconds, impressions FROM exposure WHERE session_id = ? ORDER BY post_id',
    ),
    saveWall: db.prepare<[string, string]>(
      'INSERT INTO wall_sets (session_id, data) VALUES (?, ?) ON CONFLICT (session_id) DO UPDATE SET data = excluded.data',
    ),
    getWall: db.prepare<[string], DataRow>('SELECT data FROM wall_sets WHERE session_id = ?'),
    firstOrgId: db.prepare<[], { org_id: string }>(
      'SELECT org_id FROM first_organisation WHERE only = 1',
    ),
    claimFirstOrg: db.prepare<[string]>(
      'INSERT OR IGNORE INTO first_organisation (only, org_id) VALUES (1, ?)',
    ),
    insertAccount: db.prepare<[string, string, string, number, string]>(
      'INSERT INTO organiser_accounts (id, org_id, email, created_at, data) VALUES (?, ?, ?, ?, ?)',
    ),
    accountIdByEmail: db.prepare<[string], { id: string }>(
      'SELECT id FROM organiser_accounts WHERE email = ?',
    ),
    accountByEmail: db.prepare<[string], DataRow>(
      'SELECT data FROM organiser_accounts WHERE email = ?',
    ),
    accountById: db.prepare<[string], DataRow>('SELECT data FROM organiser_accounts WHERE id = ?'),
    updateAccount: db.prepare<[string, string]>(
      'UPDATE organiser_accounts SET data = ? WHERE id = ?',
    ),
    getQueue: db.prepare<[string], DataRow & { version: number }>(
      'SELECT data, version FROM speaker_queues WHERE session_id = ?',
    ),
    saveQueue: db.prepare<[string, number, string]>(
      `INSERT INTO speaker_queues (session_id, version, data) VALUES (?, ?, ?)
       ON CONFLICT (session_id) DO UPDATE SET version = excluded.version, data = excluded.data`,
    ),
    getPolls: db.prepare<[string], DataRow & { version: number }>(
      'SELECT data, version FROM poll_sets WHERE session_id = ?',
    ),
    savePolls: db.prepare<[string, number, string]>(
      `INSERT INTO poll_sets (session_id, version, data) VALUES (?, ?, ?)
       ON CONFLICT (session_id) DO UPDATE SET version = excluded.version, data = excluded.data`,
    ),
    saveAnswer: db.prepare<[string, string, string, string]>(
      `INSERT INTO poll_answers (session_id, poll_id, device_id, data) VALUES (?, ?, ?, ?)
       ON CONFLICT (session_id, poll_id, device_id) DO UPDATE SET data = excluded.data`,
    ),
    bumpPollRevision: db.prepare<[string, string]>(
      `INSERT INTO poll_revisions (session_id, poll_id, revision) VALUES (?, ?, 1)
       ON CONFLICT (session_id, poll_id) DO UPDATE SET revision = revision + 1`,
    ),
    pollRevision: db.prepare<[string, string], { revision: number }>(
      'SELECT revision FROM poll_revisions WHERE session_id = ? AND poll_id = ?',
    ),
    listAnswers: db.prepare<[string, string], DataRow>(
      'SELECT data FROM poll_answers WHERE session_id = ? AND poll_id = ?',
    ),
    listDeviceAnswers: db.prepare<[string, string], DataRow>(
      'SELECT data FROM poll_answers WHERE session_id = ? AND device_id = ? ORDER BY poll_id',
    ),
    lastLogSeq: db.prepare<[string], { seq: number }>(
      'SELECT seq FROM moderation_log WHERE session_id = ? ORDER BY seq DESC LIMIT 1',
    ),
    insertLog: db.prepare<[string, number, string]>(
      'INSERT INTO moderation_log (session_id, seq, data) VALUES (?, ?, ?)',
    ),
    listLog: db.prepare<[string, number, number], DataRow>(
      'SELECT data FROM moderation_log WHERE session_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
    ),
    oldestSeq: db.prepare<[string, string], { seq: number }>(
      'SELECT seq FROM stream_entries WHERE session_id = ? AND stream = ? ORDER BY seq LIMIT 1',
    ),
    readEntries: db.prepare<[string, string, number, number], { seq: number; data: string }>(
      'SELECT seq, data FROM stream_entries WHERE session_id = ? AND stream = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
