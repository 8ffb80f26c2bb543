/**
 * The REST API: organiser operations and lookups, each a thin map from HTTP to the AppApi
 * the service implements. JSON bodies are parsed here only: a global body parser would drain
 * the request stream SvelteKit's form actions read.
 */
import express from 'express';
import type { Request, Response, Router } from 'express';
import { fail, isCommandName } from '@gt/protocol';
import type { Credentials, Result } from '@gt/protocol';
import type { Application } from '../services/application.js';

const STATUS: Record<string, number> = {
  invalid_input: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_state: 409,
  closed: 409,
  rate_limited: 429,
  internal: 500,
};

export function credentialsOf(req: Request): Credentials {
  const bearer = req.get('authorization')?.match(/^Bearer\s+(.+)$/i)?.[1];
  return {
    staff: bearer,
    device: req.get('x-device-token') ?? undefined,
    receipt: req.get('x-receipt-token') ?? undefined,
  };
}

function send(res: Response, result: Result<unknown>, okStatus = 200) {
  res.status(result.ok ? okStatus : (STATUS[result.error.code] ?? 500)).json(result);
}

export function apiRouter(service: Application): Router {
  const router = express.Router();
  router.use(express.json({ limit: '16kb' }));

  router.post('/devices', (_req, res) =>
    send(res, { ok: true, data: service.registerDevice() }, 201),
  );
  router.post('/login', async (req, res) =>
    send(res, await service.login(req.body ?? {}, { address: req.ip })),
  );
  router.get('/events', async (req, res) =>
    send(res, await service.listEvents(credentialsOf(req))),
  );
  router.post('/events', async (req, res) =>
    send(res, await service.createEvent(credentialsOf(req), req.body ?? {}), 201),
  );
  router.post('/sessions', async (req, res) =>
    send(res, await service.createSession(credentialsOf(req), req.body ?? {}), 201),
  );
  // The same commands as the socket, for SvelteKit's HTTP AppApi in development and for
  // scripts; the service validates the name and the payload.
  router.post('/commands/:name', async (req, res) => {
    const name = String(req.params.name);
    if (!isCommandName(name)) return send(res, fail('not_found', 'no such command'));
    send(res, await service.command(credentialsOf(req), name, req.body ?? {}));
  });
  router.post('/topics', async (req, res) =>
    send(res, await service.createTopic(credentialsOf(req), req.body ?? {}), 201),
  );
  router.get('/events/:id/sessions', async (req, res) =>
    send(res, await service.listSessions(credentialsOf(req), String(req.params.id))),
  );
  router.post('/moderator-links', async (req, res) =>
    send(res, await service.createModeratorLink(credentialsOf(req), req.body ?? {}), 201),
  );
  router.get('/sessions/:id/moderator-links', async (req, res) =>
    send(res, await service.listModeratorLinks(credentialsOf(req), String(req.params.id))),
  );
  router.post('/moderator-links/:id/revoke', async (req, res) =>
    send(res, await service.revokeModeratorLink(credentialsOf(req), String(req.params.id))),
  );
  router.get('/receipt', async (req, res) =>
    send(res, await service.getReceipt(credentialsOf(req))),
  );
  router.get('/sessions/by-code/:code', async (req, res) =>
    send(res, await service.findSessionByCode(String(req.params.code))),
  );

  // The people of the organisation (SPEC O2-O6; members.service.ts).
  router.get('/me', async (req, res) => send(res, await service.getMyAccount(credentialsOf(req))));
  router.get('/people', async (req, res) =>
    send(res, await service.listPeople(credentialsOf(req))),
  );
  router.post('/invitations', async (req, res) =>
    send(res, await service.inviteMember(credentialsOf(req), req.body ?? {}), 201),
  );
  router.post('/invitations/:id/revoke', async (req, res) =>
    send(res, await service.revokeInvitation(credentialsOf(req), String(req.params.id))),
  );
  router.post('/members/:accountId/remove', async (req, res) =>
    send(res, await service.removeMember(credentialsOf(req), String(req.params.accountId))),
  );
  router.get('/invitations/by-token/:token', async (req, res) =>
    send(res, await service.findInvitation(String(req.params.token))),
  );
  router.post('/invitations/accept', async (req, res) =>
    send(res, await service.acceptInvitation(req.body ?? {}, { address: req.ip })),
  );
  router.post('/account/password', async (req, res) =>
    send(res, await service.changePassword(credentialsOf(req), req.body ?? {})),
  );
  router.post('/account/sign-out-everywhere', async (req, res) =>
    send(res, await service.signOutEverywhere(credentialsOf(req))),
  );

  router.use((_req, res) =>
    send(res, { ok: false, error: { code: 'not_found', message: 'no such API route' } }),
  );
  return router;
}
