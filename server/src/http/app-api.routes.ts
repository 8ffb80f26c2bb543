/**
 * AppApi over HTTP: `POST /api/app/:method` with `{ "args": [...] }` runs that method of the
 * in-process AppApi with those arguments and answers its Result as JSON. It exists for
 * `npm run dev`, where SvelteKit runs inside Vite's process and reaches the application
 * through client/src/lib/server/http-app-api.ts; in production SvelteKit gets the AppApi
 * object itself (http/web.ts).
 *
 * It grants nothing new: every AppApi method authorises from the credentials it is given,
 * exactly as for a socket or the REST routes. Only the methods of the AppApi interface are
 * callable (the table below is checked against it), never the service's other methods.
 */
import express from 'express';
import type { Router } from 'express';
import type { AppApi, Result } from '@gt/protocol';

// A method added to AppApi fails the type check here until it is listed.
const APP_API_METHODS = {
  command: true,
  findSessionByCode: true,
  login: true,
  createEvent: true,
  listEvents: true,
  createSession: true,
  createTopic: true,
  getReceipt: true,
  createModeratorLink: true,
  listModeratorLinks: true,
  revokeModeratorLink: true,
  listSessions: true,
  getMyAccount: true,
  listPeople: true,
  inviteMember: true,
  revokeInvitation: true,
  removeMember: true,
  findInvitation: true,
  acceptInvitation: true,
  changePassword: true,
  signOutEverywhere: true,
} as const satisfies Record<keyof AppApi, true>;

/**
 * [O6] Methods that take the caller's address (login throttling), by argument position. The
 * router sets it from the connection, never from the body: a caller naming its own address
 * could spread its guesses over made-up ones.
 */
const ADDRESS_ARGUMENT: Partial<Record<keyof AppApi, number>> = {
  login: 1,
  acceptInvitation: 1,
};

const isAppApiMethod = (name: string): name is keyof AppApi => Object.hasOwn(APP_API_METHODS, name);

const STATUS: Record<string, number> = {
  invalid_input: 400,
  not_found: 404,
  rate_limited: 429,
  internal: 500,
};

export function appApiRouter(api: AppApi): Router {
  const router = express.Router();
  router.use(express.json({ limit: '64kb' }));
  router.post('/:method', async (req, res) => {
    const method = String(req.params.method);
    const args: unknown = (req.body as { args?: unknown } | undefined)?.args;
    let result: Result<unknown>;
    if (!isAppApiMethod(method)) {
      result = { ok: false, error: { code: 'not_found', message: `no AppApi method ${method}` } };
    } else if (!Array.isArray(args) || args.length > 4) {
      result = { ok: false, error: { code: 'invalid_input', message: 'expected { args: [...] }' } };
    } else {
      // The methods validate their own arguments (they are the same entry points SvelteKit
      // calls in production), so the values pass through as they came.
      const call = api[method] as (...values: unknown[]) => Promise<Result<unknown>>;
      const at = ADDRESS_ARGUMENT[method];
      const values: unknown[] =
        at === undefined ? args : [...args.slice(0, at), { address: req.ip }];
      result = await call.apply(api, values);
    }
    // The Result is the answer; the status only mirrors it for logs and tools.
    res.status(result.ok ? 200 : (STATUS[result.error.code] ?? 200)).json(result);
  });
  return router;
}
