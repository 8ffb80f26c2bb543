/**
 * Schema of the SQLite store, as an ordered list of migrations. The database records the
 * last one applied in `PRAGMA user_version` (0 for a new file). Opening a store applies the
 * missing ones, all in one transaction together with the new user_version, so a crash halfway
 * leaves the file as it was; re-opening an up-to-date file changes nothing.
 *
 * Rules: never edit or reorder a migration that has shipped; add a new one with the next
 * version. Each `sql` is a fixed script (no values from outside go into it).
 *
 * Layout: domain objects are stored whole as JSON text (`data`), next to the columns the
 * store looks them up or orders them by. There are no foreign keys between the tables: the
 * services check existence (as the Redis store, which has none, relies on too), and a vote
 * or post for an object the store has not seen is the service's bug to report, not a reason
 * to lose the write. `PRAGMA foreign_keys = ON` is still set so that any later migration that
 * declares one gets it enforced.
 */
import type { Database } from 'better-sqlite3';

export interface Migration {
  /** 1, 2, 3 ... in order, no gaps. */
  version: number;
  /** What the migration is for (shown in errors). */
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE organisations (
        id   TEXT PRIMARY KEY,
        data TEXT NOT NULL
      ) STRICT;

      CREATE TABLE events (
        id         TEXT PRIMARY KEY,
        org_id     TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        data       TEXT NOT NULL
      ) STRICT;
      CREATE INDEX events_by_org ON events (org_id, created_at, id);

      CREATE TABLE sessions (
        id         TEXT PRIMARY KEY,
        event_id   TEXT NOT NULL,
        join_code  TEXT NOT NULL UNIQUE,
        version    INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        data       TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sessions_by_event ON sessions (event_id, created_at, id);

      CREATE TABLE posts (
        session_id TEXT NOT NULL,
        id         TEXT NOT NULL,
        version    INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        data       TEXT NOT NULL,
        PRIMARY KEY (session_id, id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX posts_by_time ON posts (session_id, created_at, id);

      -- Idempotency: the acknowledgement of every command applied, by who sent it.
      CREATE TABLE commands (
        actor      TEXT NOT NULL,
        command_id TEXT NOT NULL,
        ack        TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (actor, command_id)
      ) STRICT, WITHOUT ROWID;

      -- Streams: the head (last sequence number given out) and the retained entries.
      CREATE TABLE stream_heads (
        session_id TEXT NOT NULL,
        stream     TEXT NOT NULL,
        head       INTEGER NOT NULL,
        PRIMARY KEY (session_id, stream)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE stream_entries (
        session_id TEXT NOT NULL,
        stream     TEXT NOT NULL,
        seq        INTEGER NOT NULL,
        data       TEXT NOT NULL,
        PRIMARY KEY (session_id, stream, seq)
      ) STRICT, WITHOUT ROWID;

      -- Votes: at most one per (session, post, device), plus a maintained count per post.
      CREATE TABLE votes (
        session_id TEXT NOT NULL,
        post_id    TEXT NOT NULL,
        device_id  TEXT NOT NULL,
        PRIMARY KEY (session_id, post_id, device_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX votes_by_device ON votes (session_id, device_id);

      CREATE TABLE vote_counts (
        session_id TEXT NOT NULL,
        post_id    TEXT NOT NULL,
        count      INTEGER NOT NULL,
        PRIMARY KEY (session_id, post_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE reaction_counts (
        session_id TEXT NOT NULL,
        name       TEXT NOT NULL,
        count      INTEGER NOT NULL,
        PRIMARY KEY (session_id, name)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'receipts, topics and follow-ups',
    sql: `
      -- The receipt lists a device's posts across sessions.
      ALTER TABLE posts ADD COLUMN author_device TEXT;
      UPDATE posts SET author_device = json_extract(data, '$.authorDevice');
      CREATE INDEX posts_by_device ON posts (author_device, created_at, id)
        WHERE author_device IS NOT NULL;

      CREATE TABLE topics (
        id         TEXT PRIMARY KEY,
        event_id   TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        data       TEXT NOT NULL
      ) STRICT;
      CREATE INDEX topics_by_event ON topics (event_id, created_at, id);

      -- Personal data: found by topic (the contact person), by follow key (the person's own
      -- receipt) and by deletion date (retention). Never by device or post.
      CREATE TABLE follow_ups (
        id           TEXT PRIMARY KEY,
        topic_id     TEXT NOT NULL,
        follow_key   TEXT NOT NULL,
        consented_at INTEGER NOT NULL,
        delete_after INTEGER NOT NULL,
        data         TEXT NOT NULL
      ) STRICT;
      CREATE INDEX follow_ups_by_topic ON follow_ups (topic_id, consented_at, id);
      CREATE INDEX follow_ups_by_key ON follow_ups (follow_key, consented_at, id);
      CREATE INDEX follow_ups_by_deletion ON follow_ups (delete_after);
    `,
  },
  {
    version: 3,
    name: 'moderator links',
    sql: `
      CREATE TABLE moderator_links (
        id         TEXT PRIMARY KEY,
        session_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        data       TEXT NOT NULL
      ) STRICT;
      CREATE INDEX moderator_links_by_session ON moderator_links (session_id, created_at, id);
    `,
  },
  {
    version: 4,
    name: 'moderation log',
    sql: `
      -- Every staff action, numbered per session in the order of the changes (SPEC ML1).
      CREATE TABLE moderation_log (
        session_id TEXT NOT NULL,
        seq        INTEGER NOT NULL,
        data       TEXT NOT NULL,
        PRIMARY KEY (session_id, seq)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    name: 'exposure and the wall',
    sql: `
      -- Fair visibility (SPEC K3, FV1): seconds on the wall and first-screen impressions.
      CREATE TABLE exposure (
        session_id   TEXT NOT NULL,
        post_id      TEXT NOT NULL,
        wall_seconds REAL NOT NULL DEFAULT 0,
        impressions  INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (session_id, post_id)
      ) STRICT, WITHOUT ROWID;

      -- Each (device, post) pair counts one impression at most.
      CREATE TABLE impressions_seen (
        session_id TEXT NOT NULL,
        post_id    TEXT NOT NULL,
        device_id  TEXT NOT NULL,
        PRIMARY KEY (session_id, post_id, device_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE wall_sets (
        session_id TEXT PRIMARY KEY,
        data       TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 6,
    name: 'speaker queue',
    sql: `
      -- One queue for the microphone per session, stored whole and versioned (SPEC Q6).
      CREATE TABLE speaker_queues (
        session_id TEXT PRIMARY KEY,
        version    INTEGER NOT NULL,
        data       TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 7,
    name: 'organiser accounts',
    sql: `
      -- Organiser logins, one per e-mail (SPEC ST18); the record is the JSON in data.
      CREATE TABLE organiser_accounts (
        id         TEXT PRIMARY KEY,
        org_id     TEXT NOT NULL,
        email      TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        data       TEXT NOT NULL
      ) STRICT;
      CREATE INDEX organiser_accounts_by_org ON organiser_accounts (org_id, created_at, id);

      -- The organisation the first start created: at most one row (SPEC C7).
      CREATE TABLE first_organisation (
        only   INTEGER PRIMARY KEY CHECK (only = 1),
        org_id TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 8,
    name: 'live polls',
    sql: `
      -- A session's polls, stored whole and versioned: one open poll at a time (SPEC PL2).
      CREATE TABLE poll_sets (
        session_id TEXT PRIMARY KEY,
        version    INTEGER NOT NULL,
        data       TEXT NOT NULL
      ) STRICT;

      -- One answer per device and poll (SPEC PL6); the newest replaces the last.
      CREATE TABLE poll_answers (
        session_id TEXT NOT NULL,
        poll_id    TEXT NOT NULL,
        device_id  TEXT NOT NULL,
        data       TEXT NOT NULL,
        PRIMARY KEY (session_id, poll_id, device_id)
      ) STRICT, WITHOUT ROWID;

      -- How many answers were written to each poll: orders two reads of its results.
      CREATE TABLE poll_revisions (
        session_id TEXT NOT NULL,
        poll_id    TEXT NOT NULL,
        revision   INTEGER NOT NULL,
        PRIMARY KEY (session_id, poll_id)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 9,
    name: 'memberships and invitations',
    sql: `
      -- One role per account and organisation (SPEC O2, ST20); the record is the JSON in data.
      CREATE TABLE memberships (
        org_id     TEXT NOT NULL,
        account_id TEXT NOT NULL,
        role       TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        data       TEXT NOT NULL,
        PRIMARY KEY (org_id, account_id)
      ) STRICT;
      CREATE INDEX memberships_by_account ON memberships (account_id, created_at);

      -- Invitations by the hash of their link's secret (SPEC O3).
      CREATE TABLE invitations (
        id         TEXT PRIMARY KEY,
        org_id     TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        data       TEXT NOT NULL
      ) STRICT;
      CREATE INDEX invitations_by_org ON invitations (org_id, created_at);

      -- [O7] Before roles an account could do everything in its organisation: it stays so.
      INSERT INTO memberships (org_id, account_id, role, created_at, data)
        SELECT org_id, id, 'admin', created_at,
               json_object('orgId', org_id, 'accountId', id, 'role', 'admin', 'createdAt', created_at)
        FROM organiser_accounts;
    `,
  },
];

/** The schema version a fully migrated database has. */
export const LATEST_VERSION: number = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1 || !Number.isInteger(m.version)) {
      throw new Error(`migration "${m.name}" has version ${m.version}, expected ${i + 1}`);
    }
  });
}

function userVersion(db: Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/**
 * Bring the database up to the latest schema. Returns the versions before and after.
 * Throws (changing nothing) when the file was written by a newer release.
 */
export function migrate(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
): { from: number; to: number } {
  checkOrder(migrations);
  const latest = migrations.length;
  const before = userVersion(db);
  if (before === latest) return { from: before, to: before };
  if (before > latest) {
    throw new Error(
      `database schema version ${before} is newer than this release knows (${latest})`,
    );
  }
  // IMMEDIATE: take the write lock before reading user_version again, so two processes
  // opening the same new file cannot both apply the same migration.
  db.exec('BEGIN IMMEDIATE');
  try {
    const from = userVersion(db);
    for (const m of migrations) {
      if (m.version <= from) continue;
      try {
        db.exec(m.sql);
      } catch (error) {
        throw new Error(`migration ${m.version} (${m.name}) failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
    // A pragma cannot take a bound parameter; `latest` is a checked integer from this file.
    db.pragma(`user_version = ${latest}`);
    db.exec('COMMIT');
    return { from, to: latest };
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
