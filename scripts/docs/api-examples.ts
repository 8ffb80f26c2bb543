/**
 * The JSON examples of the protocol docs, checked against the zod schemas they illustrate.
 * Every ```json block names what it shows in its info string (GitHub renders only the first
 * word, so readers see plain JSON):
 *
 *   ```json post:create request       the payload of a command
 *   ```json post:create ack           a successful Result of that command
 *   ```json post:create error         a refused Result of that command
 *   ```json error                     a refused Result of any command
 *   ```json post:created update       an update's payload
 *   ```json POST /api/login ack       a REST route's body (request) or Result (ack, error)
 *
 * An example people copy from must be one the server would accept or could have sent: the
 * schemas are strict, so a field the docs forget (or invent) is a broken client.
 */
import {
  ERROR_CODES,
  commands,
  createEventRequestSchema,
  createModeratorLinkAckSchema,
  createModeratorLinkRequestSchema,
  createSessionAckSchema,
  createSessionRequestSchema,
  createTopicRequestSchema,
  acceptInvitationRequestSchema,
  changePasswordAckSchema,
  changePasswordRequestSchema,
  eventViewSchema,
  invitationLookupSchema,
  invitationViewSchema,
  inviteAckSchema,
  inviteRequestSchema,
  myAccountSchema,
  peopleSchema,
  removeMemberAckSchema,
  signOutEverywhereAckSchema,
  isCommandName,
  loginAckSchema,
  loginRequestSchema,
  moderatorLinkSchema,
  postViewSchema,
  receiptSchema,
  sessionViewSchema,
  topicViewSchema,
  updates,
} from '@gt/protocol';
import { z } from 'zod';

export interface Example {
  /** The doc's path as the report should name it (e.g. `docs/api/posts.md`). */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The info string after `json`, e.g. `post:create request`. */
  label: string;
  text: string;
}

const FENCE = /^```json(?:[ \t]+([^\n]*?))?[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;

export function extractExamples(file: string, markdown: string): Example[] {
  return [...markdown.matchAll(FENCE)].map((m) => ({
    file,
    line: markdown.slice(0, m.index).split('\n').length,
    label: (m[1] ?? '').trim(),
    text: m[2]!,
  }));
}

const errorResult = z
  .strictObject({
    ok: z.literal(false),
    error: z.strictObject({
      code: z.enum(ERROR_CODES),
      message: z.string().min(1),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  // The docs promise that a conflict carries the current state in full (API.md, section 2).
  .superRefine((result, ctx) => {
    const details = result.error.details ?? {};
    const nested: [string, z.ZodType][] = [
      ['current', postViewSchema],
      ['currentSession', sessionViewSchema],
    ];
    for (const [key, schema] of nested) {
      if (!(key in details)) continue;
      const parsed = schema.safeParse(details[key]);
      for (const issue of parsed.error?.issues ?? []) {
        ctx.addIssue({
          code: 'custom',
          message: issue.message,
          path: ['error', 'details', key, ...issue.path],
        });
      }
    }
  });

const okResult = (data: z.ZodType) => z.strictObject({ ok: z.literal(true), data });

interface RouteSchemas {
  request?: z.ZodType;
  ack: z.ZodType;
}

/** The REST routes of API.md section 7 with the schemas the server parses and answers. */
export const restRoutes: Record<string, RouteSchemas> = {
  'POST /api/login': { request: loginRequestSchema, ack: loginAckSchema },
  'GET /api/events': { ack: z.array(eventViewSchema) },
  'POST /api/events': { request: createEventRequestSchema, ack: eventViewSchema },
  'GET /api/events/:id/sessions': { ack: z.array(sessionViewSchema) },
  'POST /api/sessions': { request: createSessionRequestSchema, ack: createSessionAckSchema },
  'GET /api/sessions/by-code/:code': { ack: sessionViewSchema },
  'POST /api/topics': { request: createTopicRequestSchema, ack: topicViewSchema },
  'POST /api/moderator-links': {
    request: createModeratorLinkRequestSchema,
    ack: createModeratorLinkAckSchema,
  },
  'GET /api/sessions/:id/moderator-links': {
    ack: z.array(moderatorLinkSchema.extend({ moderatorToken: z.string().nullable() })),
  },
  'POST /api/moderator-links/:id/revoke': { ack: moderatorLinkSchema },
  'GET /api/receipt': { ack: receiptSchema },
  'POST /api/devices': { ack: commands['device:register'].ack },
  // The people of an organisation (SPEC O2-O6).
  'GET /api/me': { ack: myAccountSchema },
  'GET /api/people': { ack: peopleSchema },
  'POST /api/invitations': { request: inviteRequestSchema, ack: inviteAckSchema },
  'POST /api/invitations/:id/revoke': { ack: invitationViewSchema },
  'POST /api/members/:accountId/remove': { ack: removeMemberAckSchema },
  'GET /api/invitations/by-token/:token': { ack: invitationLookupSchema },
  'POST /api/invitations/accept': { request: acceptInvitationRequestSchema, ack: loginAckSchema },
  'POST /api/account/password': {
    request: changePasswordRequestSchema,
    ack: changePasswordAckSchema,
  },
  'POST /api/account/sign-out-everywhere': { ack: signOutEverywhereAckSchema },
};

const COMMAND_ROUTE = 'POST /api/commands/';

function schemasOf(subject: string): RouteSchemas | z.ZodType | undefined {
  const command = subject.startsWith(COMMAND_ROUTE) ? subject.slice(COMMAND_ROUTE.length) : subject;
  if (isCommandName(command)) return commands[command];
  if (Object.hasOwn(updates, subject)) return updates[subject as keyof typeof updates];
  return restRoutes[subject];
}

/** The schema an example's label names, or why there is none. */
export function schemaFor(label: string): z.ZodType | string {
  if (label === 'error') return errorResult;
  const space = label.lastIndexOf(' ');
  const subject = label.slice(0, space);
  const part = label.slice(space + 1);
  if (space < 0 || !subject) {
    return 'label it "<command> request|ack|error", "<update> update", "<route> request|ack|error" or "error"';
  }
  if (part === 'update') {
    return Object.hasOwn(updates, subject)
      ? updates[subject as keyof typeof updates]
      : `"${subject}" is not in the update table`;
  }
  const schemas = schemasOf(subject);
  if (!schemas) return `"${subject}" is neither a command nor a documented REST route`;
  if (schemas instanceof z.ZodType)
    return `"${subject}" is an update: label it "${subject} update"`;
  if (part === 'error') return errorResult;
  if (part === 'ack') return okResult(schemas.ack);
  if (part === 'request') return schemas.request ?? `"${subject}" takes no request body`;
  return `"${part}" is not one of request, ack, error, update`;
}

/** Every problem of one example, each naming the file, the line and the label. */
export function checkExample(example: Example): string[] {
  const where = `${example.file}:${example.line} (${example.label || 'unlabelled'})`;
  const schema = schemaFor(example.label);
  if (typeof schema === 'string') return [`${where}: ${schema}`];
  let value: unknown;
  try {
    value = JSON.parse(example.text);
  } catch (error) {
    return [`${where}: not JSON: ${(error as Error).message}`];
  }
  const parsed = schema.safeParse(value);
  return (parsed.error?.issues ?? []).map(
    (issue) => `${where}: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
}
