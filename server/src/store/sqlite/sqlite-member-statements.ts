/**
 * The SQL of the people of organisations (MemberStore; schema: migration 9 in migrations.ts),
 * apart from statements.ts so the feature reads as one block. prepareStatements spreads it in.
 */
import type Database from 'better-sqlite3';

interface DataRow {
  data: string;
}

export function prepareMemberStatements(db: Database.Database) {
  return {
    insertMembership: db.prepare<[string, string, string, number, string]>(
      `INSERT OR IGNORE INTO memberships (org_id, account_id, role, created_at, data)
       VALUES (?, ?, ?, ?, ?)`,
    ),
    getMembership: db.prepare<[string, string], DataRow>(
      'SELECT data FROM memberships WHERE org_id = ? AND account_id = ?',
    ),
    membersOfOrg: db.prepare<[string], DataRow>(
      'SELECT data FROM memberships WHERE org_id = ? ORDER BY created_at, rowid',
    ),
    membershipsOfAccount: db.prepare<[string], DataRow>(
      'SELECT data FROM memberships WHERE account_id = ? ORDER BY created_at, rowid',
    ),
    countAdmins: db.prepare<[string], { n: number }>(
      "SELECT count(*) AS n FROM memberships WHERE org_id = ? AND role = 'admin'",
    ),
    deleteMembership: db.prepare<[string, string]>(
      'DELETE FROM memberships WHERE org_id = ? AND account_id = ?',
    ),
    saveInvitation: db.prepare<[string, string, number, string]>(
      `INSERT INTO invitations (id, org_id, created_at, data) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET data = excluded.data`,
    ),
    getInvitation: db.prepare<[string], DataRow>('SELECT data FROM invitations WHERE id = ?'),
    invitationsOfOrg: db.prepare<[string], DataRow>(
      'SELECT data FROM invitations WHERE org_id = ? ORDER BY created_at, rowid',
    ),
  };
}
