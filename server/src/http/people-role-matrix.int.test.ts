/**
 * [O2]-[O6] The organiser's REST routes and the people routes, each called by admin,
 * organiser, viewer, an organiser of another organisation and no login: exactly the allowed
 * results. Every cell logs in afresh and gets fresh things to act on, so no cell (a sign-out
 * everywhere, a removal) changes another's. Then the login throttle over HTTP, by address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asId } from '@gt/core';
import type { OrgId } from '@gt/core';
import type { Result } from '@gt/protocol';
import { makeTestStore, ORGANISER, startTestApp, waitFor } from '../testing/test-app.js';
import type { TestApp, TestStore } from '../testing/test-app.js';

const PRINCIPALS = [
  'admin',
  'organiser',
  'viewer',
  'organiser-of-another-organisation',
  'none',
] as const;
type Principal = (typeof PRINCIPALS)[number];
const MEMBERS: readonly Principal[] = ['admin', 'organiser', 'viewer'];
const LOGGED_IN: readonly Principal[] = [...MEMBERS, 'organiser-of-another-organisation'];
const CHANGERS: readonly Principal[] = ['admin', 'organiser'];
const OTHER_ORG = asId<OrgId>('org_foreningen');

interface Cell {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

/** What one cell needs: the caller's login (with its password) and the test app. */
interface CellContext {
  t: TestApp;
  password: string;
}

/** Each route, who may call it (written out, not derived), and a fresh call for one cell. */
const ROUTES: Record<
  string,
  { allowed: readonly Principal[]; make(c: CellContext): Promise<Cell> }
> = {
  'GET /api/events': {
    // Another organisation's organiser lists their own events: nothing of this one.
    allowed: LOGGED_IN,
    make: () => Promise.resolve({ method: 'GET', path: '/api/events' }),
  },
  'POST /api/events': {
    allowed: [...CHANGERS, 'organiser-of-another-organisation'],
    make: () =>
      Promise.resolve({ method: 'POST', path: '/api/events', body: { title: 'Kulturnat' } }),
  },
  'GET /api/events/:id/sessions': {
    allowed: MEMBERS,
    make: async ({ t }) => {
      const { session } = await t.createSession();
      return { method: 'GET', path: `/api/events/${session.eventId}/sessions` };
    },
  },
  'POST /api/sessions': {
    allowed: CHANGERS,
    make: async ({ t }) => {
      const { session } = await t.createSession();
      return {
        method: 'POST',
        path: '/api/sessions',
        body: { eventId: session.eventId, title: 'B' },
      };
    },
  },
  'POST /api/topics': {
    allowed: CHANGERS,
    make: async ({ t }) => {
      const { session } = await t.createSession();
      return {
        method: 'POST',
        path: '/api/topics',
        body: { eventId: session.eventId, title: 'Cykelstier', contactName: 'Borgerservice' },
      };
    },
  },
  'POST /api/moderator-links': {
    allowed: CHANGERS,
    make: async ({ t }) => {
      const { session } = await t.createSession();
      return {
        method: 'POST',
        path: '/api/moderator-links',
        body: { sessionId: session.id, label: 'Frivillig' },
      };
    },
  },
  'GET /api/sessions/:id/moderator-links': {
    allowed: CHANGERS,
    make: async ({ t }) => {
      const { session } = await t.createSession();
      return { method: 'GET', path: `/api/sessions/${session.id}/moderator-links` };
    },
  },
  'POST /api/moderator-links/:id/revoke': {
    allowed: CHANGERS,
    make: async ({ t }) => {
      const { session } = await t.createSession();
      const link = await t.app.service.createModeratorLink(
        { staff: t.organiserToken },
        { sessionId: session.id, label: 'Frivillig' },
      );
      if (!link.ok) throw new Error(link.error.message);
      return { method: 'POST', path: `/api/moderator-links/${link.data.link.id}/revoke` };
    },
  },
  'GET /api/me': {
    allowed: LOGGED_IN,
    make: () => Promise.resolve({ method: 'GET', path: '/api/me' }),
  },
  'GET /api/people': {
    allowed: ['admin'],
    make: () => Promise.resolve({ method: 'GET', path: '/api/people' }),
  },
  'POST /api/invitations': {
    allowed: ['admin'],
    make: () =>
      Promise.resolve({
        method: 'POST',
        path: '/api/invitations',
        body: {
          email: `ny-${Math.random().toString(36).slice(2)}@gentofte.example`,
          role: 'viewer',
        },
      }),
  },
  'POST /api/invitations/:id/revoke': {
    allowed: ['admin'],
    make: async ({ t }) => {
      const { invitation } = await invite(t);
      return { method: 'POST', path: `/api/invitations/${invitation.id}/revoke` };
    },
  },
  'POST /api/members/:accountId/remove': {
    allowed: ['admin'],
    make: async ({ t }) => {
      const { accountId } = await t.member('viewer');
      return { method: 'POST', path: `/api/members/${accountId}/remove` };
    },
  },
  'GET /api/invitations/by-token/:token': {
    allowed: PRINCIPALS,
    make: async ({ t }) => {
      const { path } = await invite(t);
      return { method: 'GET', path: `/api/invitations/by-token/${path.slice('/invite/'.length)}` };
    },
  },
  'POST /api/invitations/accept': {
    allowed: PRINCIPALS,
    make: async ({ t }) => {
      const { path } = await invite(t);
      return {
        method: 'POST',
        path: '/api/invitations/accept',
        body: { token: path.slice('/invite/'.length), password: 'en ny adgangskode' },
      };
    },
  },
  'POST /api/account/password': {
    allowed: LOGGED_IN,
    make: ({ password }) =>
      Promise.resolve({
        method: 'POST',
        path: '/api/account/password',
        body: { currentPassword: password, newPassword: password },
      }),
  },
  'POST /api/account/sign-out-everywhere': {
    allowed: LOGGED_IN,
    make: () => Promise.resolve({ method: 'POST', path: '/api/account/sign-out-everywhere' }),
  },
};

async function invite(t: TestApp) {
  const invited = await t.app.service.inviteMember(
    { staff: t.organiserToken },
    { email: `inv-${Math.random().toString(36).slice(2)}@gentofte.example`, role: 'organiser' },
  );
  if (!invited.ok) throw new Error(invited.error.message);
  return invited.data;
}

async function call(t: TestApp, cell: Cell, token: string | null) {
  const response = await fetch(`${t.url}${cell.path}`, {
    method: cell.method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(cell.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(cell.body === undefined ? {} : { body: JSON.stringify(cell.body) }),
  });
  return { status: response.status, result: (await response.json()) as Result<unknown> };
}

describe('[O2]-[O5] the organiser and people routes by role (SQLite)', () => {
  let store: TestStore;
  let t: TestApp;
  const logins = new Map<Principal, { email: string; password: string }>();

  beforeAll(async () => {
    store = await makeTestStore('sqlite');
    t = await startTestApp(store.store);
    logins.set('admin', ORGANISER);
    for (const [principal, role, org] of [
      ['organiser', 'organiser', t.orgId],
      ['viewer', 'viewer', t.orgId],
      ['organiser-of-another-organisation', 'organiser', OTHER_ORG],
    ] as const) {
      const { email, password } = await t.member(role, org);
      logins.set(principal, { email, password });
    }
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
  });

  /** A fresh login of the principal, so an earlier cell's sign-out everywhere is no matter. */
  async function tokenOf(principal: Principal): Promise<string | null> {
    const login = logins.get(principal);
    if (!login) return null;
    const result = await t.app.service.login(login);
    if (!result.ok) throw new Error(`${principal} could not log in: ${result.error.message}`);
    return result.data.staffToken;
  }

  for (const [route, { allowed, make }] of Object.entries(ROUTES)) {
    for (const principal of PRINCIPALS) {
      const isAllowed = allowed.includes(principal);
      it(`${route} by ${principal} is ${isAllowed ? 'allowed' : 'forbidden'}`, async () => {
        const token = await tokenOf(principal);
        const cell = await make({ t, password: logins.get(principal)?.password ?? '' });
        const { status, result } = await call(t, cell, token);
        if (isAllowed) {
          expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
          expect(status).toBeLessThan(300);
        } else {
          expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
          expect(status).toBe(403);
        }
      });
    }
  }
});

describe('[O4] access is read from the store on every call', () => {
  let store: TestStore;
  let t: TestApp;
  beforeAll(async () => {
    store = await makeTestStore('sqlite');
    t = await startTestApp(store.store);
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
  });

  it('[O4] a removed member and a signed-out login lose access at once, on the socket too', async () => {
    const admin = { staff: t.organiserToken };
    const { session } = await t.createSession({ moderation: 'pre' });
    const member = await t.member('organiser');
    const before = await call(t, { method: 'GET', path: '/api/events' }, member.token);
    expect(before.result.ok).toBe(true);
    const socket = await t.client({ staff: member.token });
    const joined = await socket.must('session:join', { sessionId: session.id });
    expect(joined.you.staff).toBe('organiser');
    let isClosed = false;
    socket.socket.on('disconnect', () => (isClosed = true));

    expect(await t.app.service.removeMember(admin, member.accountId)).toMatchObject({ ok: true });
    const after = await call(t, { method: 'GET', path: '/api/events' }, member.token);
    expect(after.status).toBe(403);
    // Its open console stops receiving staff updates: the server closes the socket.
    await waitFor("the removed member's socket to be closed by the server", () => isClosed);
    const again = await t.client({ staff: member.token });
    expect((await again.must('session:join', { sessionId: session.id })).you.staff).toBeNull();

    const other = await t.member('organiser');
    expect(
      (await call(t, { method: 'POST', path: '/api/account/sign-out-everywhere' }, other.token))
        .result.ok,
    ).toBe(true);
    expect((await call(t, { method: 'GET', path: '/api/events' }, other.token)).status).toBe(403);
  });
});

describe('[O6] login throttling over HTTP', () => {
  let store: TestStore;
  let t: TestApp;
  beforeAll(async () => {
    store = await makeTestStore('sqlite');
    t = await startTestApp(store.store, { trustProxy: true });
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
  });

  const login = async (password: string, address: string) => {
    const response = await fetch(`${t.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ email: ORGANISER.email, password }),
    });
    return { status: response.status, result: (await response.json()) as Result<unknown> };
  };

  it('the wrong password after five is refused with the wait; the right one from another address still works', async () => {
    for (let i = 0; i < 5; i++)
      expect(await login('forkert gæt', '192.0.2.7')).toMatchObject({
        status: 403,
        result: { ok: false, error: { code: 'forbidden' } },
      });
    const refused = await login('forkert gæt', '192.0.2.7');
    expect(refused).toMatchObject({
      status: 429,
      result: { ok: false, error: { code: 'rate_limited', details: { retryAfterMinutes: 15 } } },
    });
    expect(await login(ORGANISER.password, '192.0.2.7')).toMatchObject({ status: 429 });
    expect(await login(ORGANISER.password, '198.51.100.3')).toMatchObject({
      status: 200,
      result: { ok: true, data: { role: 'admin' } },
    });
  });
});
