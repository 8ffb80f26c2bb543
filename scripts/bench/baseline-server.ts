/**
 * The baseline: the best our stack can do for the benchmark's commands. A bare Socket.IO 4.8
 * server with the app's transport settings (WebSocket and long-polling, perMessageDeflate off,
 * 16 KB messages, no connection-state recovery), the same message names and shapes
 * (docs/API.md) for `session:join`, `post:create`, `post:upvote`, `reaction:send`,
 * `post:approve` (and `device:register`), signed tokens, a small hand check of every payload,
 * the same rooms, sequence numbers and 250 ms coalesced `counts`, and the same REST calls the
 * harness uses for its setup. No storage: everything lives in memory and dies with the
 * process (a session it does not know is created on the first join, so clients can rejoin
 * after a restart). Run: `PORT=... SECRET_KEY=... node baseline-server.mjs`.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server } from 'socket.io';
import type { Socket } from 'socket.io';

const MAX_MESSAGE_BYTES = 16 * 1024;
const COUNTS_INTERVAL_MS = 250;
const MAX_SESSIONS_PER_SOCKET = 8;
const PROTOCOL_VERSION = 1;
const ID = /^[A-Za-z0-9_-]{8,64}$/;
const REACTIONS = ['applause', 'heart', 'agree', 'disagree', 'question', 'laugh'];
const ORG_ID = 'org_baseline';

const env = process.env;
const port = Number(env.PORT ?? 3100);
const host = env.HOST ?? '127.0.0.1';
const secret = env.SECRET_KEY ?? randomBytes(32).toString('hex');
const organiserEmail = env.ORGANISER_EMAIL ?? 'organiser@example.org';
const organiserPassword = env.ORGANISER_PASSWORD ?? '';

// ── tokens: base64url(JSON).base64url(HMAC-SHA256), as the app signs them ────────────────────

type Claims =
  | { k: 'd'; id: string }
  | { k: 'm'; s: string; l: string }
  | { k: 'o'; org: string; u: string; exp: number };

const tokenKey = createHmac('sha256', secret).update('gentofte-talks/tokens/v1').digest();
const mac = (body: string) => createHmac('sha256', tokenKey).update(body).digest('base64url');
const sign = (claims: Claims) => {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${mac(body)}`;
};
function verify(token: unknown): Claims | null {
  if (typeof token !== 'string' || token.length > 2048) return null;
  const dot = token.indexOf('.');
  if (dot <= 0) return null;
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = Buffer.from(mac(token.slice(0, dot)), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8'));
    if (claims?.k === 'o' && !(claims.exp > Date.now())) return null;
    return claims?.k === 'd' || claims?.k === 'm' || claims?.k === 'o' ? (claims as Claims) : null;
  } catch {
    return null;
  }
}
const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url')}`;

// ── state, in memory only ────────────────────────────────────────────────────────────────────

interface Settings {
  moderation: 'pre' | 'post';
  isOpen: boolean;
  hideVotes: boolean;
  maxLength: number;
  reactions: string[];
}
interface Post {
  id: string;
  sessionId: string;
  kind: string;
  text: string;
  displayName: string | null;
  status: 'pending' | 'visible' | 'answered' | 'hidden';
  version: number;
  createdAt: number;
  updatedAt: number;
  isHighlighted: boolean;
  isPinned: boolean;
  isFromRoom: boolean;
  heldReason: 'premoderation' | null;
  hideReason: string | null;
  history: [];
}
interface Session {
  id: string;
  eventId: string;
  title: string;
  joinCode: string;
  settings: Settings;
  version: number;
  createdAt: number;
  posts: Map<string, { post: Post; author: string }>;
  heads: Map<string, number>;
  votes: Map<string, Set<string>>;
  reactions: Record<string, number>;
}

const sessions = new Map<string, Session>();
/** Acknowledgements by actor and command id: a repeat gets the first answer [I2]. */
const acks = new Map<string, unknown>();

function newSession(id: string, eventId: string, title: string, settings?: Partial<Settings>) {
  const session: Session = {
    id,
    eventId,
    title,
    joinCode: String(Math.floor(Math.random() * 1e6)).padStart(6, '0'),
    settings: {
      moderation: 'post',
      isOpen: true,
      hideVotes: false,
      maxLength: 300,
      reactions: ['applause', 'heart', 'agree', 'disagree', 'question'],
      ...settings,
    },
    version: 1,
    createdAt: Date.now(),
    posts: new Map(),
    heads: new Map(),
    votes: new Map(),
    reactions: {},
  };
  sessions.set(id, session);
  return session;
}

const sessionView = (s: Session) => ({
  id: s.id,
  eventId: s.eventId,
  title: s.title,
  joinCode: s.joinCode,
  settings: s.settings,
  version: s.version,
  createdAt: s.createdAt,
});
const isPublic = (p: Post) => p.status === 'visible' || p.status === 'answered';
const publicView = (p: Post): Post => ({ ...p, heldReason: null, hideReason: null });

function counts(s: Session, isStaff: boolean) {
  const reactions = { ...s.reactions };
  if (!isStaff && s.settings.hideVotes) return { sessionId: s.id, reactions };
  const votes: Record<string, number> = {};
  for (const [postId, voters] of s.votes) if (voters.size > 0) votes[postId] = voters.size;
  return { sessionId: s.id, reactions, votes };
}

// ── payload checks (the app uses zod schemas; this is the same rules by hand) ─────────────────

type Payload = Record<string, unknown>;
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const graphemes = (text: string) => {
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
};
const normalise = (text: string) =>
  text
    .normalize('NFC')
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .join('\n')
    .trim();

function check(payload: unknown, fields: Record<string, (v: unknown) => boolean>): string | null {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    return 'payload is not an object';
  for (const key of Object.keys(payload)) if (!(key in fields)) return `unknown key ${key}`;
  for (const [key, ok] of Object.entries(fields))
    if (!ok((payload as Payload)[key])) return `${key} is invalid`;
  return null;
}
const id = (v: unknown) => typeof v === 'string' && ID.test(v);
const optional = (f: (v: unknown) => boolean) => (v: unknown) => v === undefined || f(v);
const isSeq = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
const isResume = (v: unknown) =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.entries(v).every(([k, seq]) => ['public', 'staff', 'private'].includes(k) && isSeq(seq));
const fail = (code: string, message: string) => ({ ok: false, error: { code, message } });
const ok = (data: unknown) => ({ ok: true, data });

// ── HTTP: health and the setup calls the harness makes ───────────────────────────────────────

const httpServer = createServer((req, res) => void http(req, res));

async function body(req: IncomingMessage): Promise<Payload> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_MESSAGE_BYTES) throw new Error('too large');
    chunks.push(chunk as Buffer);
  }
  return chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Payload) : {};
}

async function http(req: IncomingMessage, res: ServerResponse) {
  const send = (status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  try {
    if (req.method === 'GET' && req.url === '/healthz')
      return send(200, { status: 'ok', store: 'none' });
    if (req.method !== 'POST') return send(404, fail('not_found', 'no such route'));
    const input = await body(req);
    const bearer = verify((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    const organiser = bearer?.k === 'o' ? bearer : null;
    switch (req.url) {
      case '/api/login':
        if (input.email !== organiserEmail || input.password !== organiserPassword)
          return send(403, fail('forbidden', 'wrong e-mail or password'));
        return send(
          200,
          ok({
            staffToken: sign({
              k: 'o',
              org: ORG_ID,
              u: organiserEmail,
              exp: Date.now() + 12 * 3600e3,
            }),
            orgId: ORG_ID,
          }),
        );
      case '/api/devices': {
        const deviceId = newId('dev');
        return send(201, ok({ deviceId, deviceToken: sign({ k: 'd', id: deviceId }) }));
      }
      case '/api/events':
        if (!organiser) return send(403, fail('forbidden', 'organisers only'));
        return send(
          201,
          ok({ id: newId('evt'), orgId: ORG_ID, title: input.title, createdAt: Date.now() }),
        );
      case '/api/sessions': {
        if (!organiser) return send(403, fail('forbidden', 'organisers only'));
        const session = newSession(
          newId('ses'),
          String(input.eventId),
          String(input.title),
          input.settings as Partial<Settings> | undefined,
        );
        const moderatorToken = sign({ k: 'm', s: session.id, l: newId('lnk') });
        return send(201, ok({ session: sessionView(session), moderatorToken }));
      }
      default:
        return send(404, fail('not_found', 'no such route'));
    }
  } catch {
    return send(400, fail('invalid_input', 'bad request'));
  }
}

// ── Socket.IO ────────────────────────────────────────────────────────────────────────────────

interface Principal {
  deviceId: string | null;
  staff: Extract<Claims, { k: 'm' | 'o' }> | null;
}
interface SocketData {
  principal: Principal;
  sessions: Set<string>;
}
type BaselineSocket = Socket<
  Record<string, never>,
  Record<string, never>,
  Record<string, never>,
  SocketData
>;

const io = new Server<
  Record<string, never>,
  Record<string, never>,
  Record<string, never>,
  SocketData
>(httpServer, {
  maxHttpBufferSize: MAX_MESSAGE_BYTES,
  perMessageDeflate: false,
  serveClient: false,
  cors: { origin: [`http://localhost:${port}`], credentials: true },
  allowRequest: (req, callback) => {
    const origin = req.headers.origin;
    callback(origin ? 'origin_not_allowed' : null, !origin);
  },
});

const rooms = {
  public: (s: string) => `s:${s}:public`,
  staff: (s: string) => `s:${s}:staff`,
  device: (s: string, d: string) => `s:${s}:dev:${d}`,
};

io.use((socket, next) => {
  const auth = socket.handshake.auth as Payload | undefined;
  const error = check(auth ?? null, {
    v: (v) => Number.isInteger(v),
    device: optional((v) => typeof v === 'string' && v.length <= 512),
    staff: optional((v) => typeof v === 'string' && v.length <= 1024),
  });
  if (error)
    return next(
      Object.assign(new Error('invalid_handshake'), { data: { expected: PROTOCOL_VERSION } }),
    );
  if (auth!.v !== PROTOCOL_VERSION)
    return next(
      Object.assign(new Error('protocol_mismatch'), {
        data: { expected: PROTOCOL_VERSION, got: auth!.v },
      }),
    );
  const device = verify(auth!.device);
  const staff = verify(auth!.staff);
  socket.data.principal = {
    deviceId: device?.k === 'd' ? device.id : null,
    staff: staff?.k === 'm' || staff?.k === 'o' ? staff : null,
  };
  socket.data.sessions = new Set();
  next();
});

const isStaffOf = (p: Principal, s: Session) =>
  (p.staff?.k === 'm' && p.staff.s === s.id) || (p.staff?.k === 'o' && p.staff.org === ORG_ID);

/** Appends the entries in order, then emits each to its room on the next turn (after the ack). */
function publish(s: Session, entries: Array<{ stream: string; update: Payload }>) {
  const out = entries.map(({ stream, update }) => {
    const seq = (s.heads.get(stream) ?? 0) + 1;
    s.heads.set(stream, seq);
    return { stream, seq, update };
  });
  setImmediate(() => {
    for (const { stream, seq, update } of out) {
      const isPrivate = stream.startsWith('private:');
      const room = isPrivate
        ? rooms.device(s.id, stream.slice('private:'.length))
        : stream === 'staff'
          ? rooms.staff(s.id)
          : rooms.public(s.id);
      const payload = { sessionId: s.id, stream: isPrivate ? 'private' : stream, seq, ...update };
      (io.to(room).emit as (name: string, payload: unknown) => boolean)(
        update.type as string,
        payload,
      );
    }
  });
}

const dirty = new Set<string>();
setInterval(() => {
  for (const sessionId of dirty) {
    const s = sessions.get(sessionId);
    if (!s) continue;
    io.to(rooms.staff(s.id)).emit('counts' as never, counts(s, true) as never);
    io.to(rooms.public(s.id))
      .except(rooms.staff(s.id))
      .emit('counts' as never, counts(s, false) as never);
  }
  dirty.clear();
}, COUNTS_INTERVAL_MS).unref();

type Handler = (socket: BaselineSocket, payload: Payload) => Promise<unknown> | unknown;

/** Session commands: check the payload, find the session, check the capability, replay a repeat. */
function inSession(
  fields: Record<string, (v: unknown) => boolean>,
  needs: 'device' | 'staff' | null,
  run: (socket: BaselineSocket, s: Session, p: Payload, actor: string) => unknown,
): Handler {
  return (socket, payload) => {
    const error = check(payload, { sessionId: id, ...fields });
    if (error) return fail('invalid_input', error);
    const s = sessions.get(payload.sessionId as string);
    if (!s) return fail('not_found', 'no such session');
    const { principal } = socket.data;
    if (needs === 'device' && !principal.deviceId) return fail('forbidden', 'needs a device');
    if (needs === 'staff' && !isStaffOf(principal, s)) return fail('forbidden', 'needs staff');
    if (!('commandId' in fields)) return run(socket, s, payload, '');
    const actor =
      needs === 'staff' ? `staff:${JSON.stringify(principal.staff)}` : `dev:${principal.deviceId}`;
    const key = `${actor}:${payload.commandId as string}`;
    const previous = acks.get(key);
    if (previous) return previous;
    const result = run(socket, s, payload, actor) as { ok: boolean };
    if (result.ok) {
      acks.set(key, result);
      if (acks.size > 200_000) acks.delete(acks.keys().next().value!);
    }
    return result;
  };
}

const handlers: Record<string, Handler> = {
  'device:register': (socket, payload) => {
    const error = check(payload, {});
    if (error) return fail('invalid_input', error);
    const deviceId = newId('dev');
    socket.data.principal = { ...socket.data.principal, deviceId };
    return ok({ deviceId, deviceToken: sign({ k: 'd', id: deviceId }) });
  },

  'session:join': async (socket, payload) => {
    // `resume` is checked like the app checks it; the baseline keeps no log, so it always
    // answers with its snapshot (after a restart an empty one, which is what the app's
    // resumed answer carries too).
    const error = check(payload, { sessionId: id, resume: optional(isResume) });
    if (error) return fail('invalid_input', error);
    const sessionId = payload.sessionId as string;
    if (
      !socket.data.sessions.has(sessionId) &&
      socket.data.sessions.size >= MAX_SESSIONS_PER_SOCKET
    )
      return fail('rate_limited', 'a connection can follow at most 8 sessions');
    const s = sessions.get(sessionId) ?? newSession(sessionId, 'evt_unknown0', 'Rejoined');
    const { principal } = socket.data;
    const isStaff = isStaffOf(principal, s);
    const joined = [rooms.public(s.id)];
    if (isStaff) joined.push(rooms.staff(s.id));
    if (principal.deviceId) joined.push(rooms.device(s.id, principal.deviceId));
    await socket.join(joined);
    socket.data.sessions.add(s.id);
    const all = [...s.posts.values()];
    const stream = (key: string, posts: Post[]) => ({ seq: s.heads.get(key) ?? 0, posts });
    const myVotes: string[] = [];
    if (principal.deviceId)
      for (const [postId, voters] of s.votes)
        if (voters.has(principal.deviceId)) myVotes.push(postId);
    return ok({
      session: sessionView(s),
      you: {
        deviceId: principal.deviceId,
        staff: isStaff ? (principal.staff!.k === 'm' ? 'moderator' : 'organiser') : null,
      },
      streams: {
        public: stream(
          'public',
          all.filter((e) => isPublic(e.post)).map((e) => publicView(e.post)),
        ),
        ...(isStaff
          ? {
              staff: stream(
                'staff',
                all.map((e) => e.post),
              ),
            }
          : {}),
        ...(principal.deviceId
          ? {
              private: stream(
                `private:${principal.deviceId}`,
                all.filter((e) => e.author === principal.deviceId).map((e) => e.post),
              ),
            }
          : {}),
      },
      counts: counts(s, isStaff),
      myVotes,
    });
  },

  'post:create': inSession(
    {
      commandId: id,
      kind: (v) => v === 'question' || v === 'idea',
      text: (v) => typeof v === 'string' && v.length <= 4000,
      displayName: optional((v) => v === null || (typeof v === 'string' && v.length <= 200)),
    },
    'device',
    (socket, s, p) => {
      if (!s.settings.isOpen) return fail('closed', 'this session is not taking posts now');
      const text = normalise(p.text as string);
      const length = graphemes(text);
      if (length === 0 || length > s.settings.maxLength)
        return fail('invalid_input', length === 0 ? 'the post is empty' : 'the post is too long');
      const name = typeof p.displayName === 'string' ? normalise(p.displayName) : '';
      if (graphemes(name) > 40) return fail('invalid_input', 'the name is too long');
      const now = Date.now();
      const isPending = s.settings.moderation === 'pre';
      const post: Post = {
        id: newId('pst'),
        sessionId: s.id,
        kind: p.kind as string,
        text,
        displayName: name || null,
        status: isPending ? 'pending' : 'visible',
        version: 1,
        createdAt: now,
        updatedAt: now,
        isHighlighted: false,
        isPinned: false,
        isFromRoom: false,
        heldReason: isPending ? 'premoderation' : null,
        hideReason: null,
        history: [],
      };
      const author = socket.data.principal.deviceId!;
      s.posts.set(post.id, { post, author });
      publish(s, [
        ...(isPending
          ? []
          : [{ stream: 'public', update: { type: 'post:created', post: publicView(post) } }]),
        { stream: 'staff', update: { type: 'post:created', post } },
        { stream: `private:${author}`, update: { type: 'post:created', post } },
      ]);
      return ok({ post });
    },
  ),

  'post:upvote': inSession(
    { commandId: id, postId: id, isOn: (v) => typeof v === 'boolean' },
    'device',
    (socket, s, p) => {
      if (!s.settings.isOpen) return fail('closed', 'this session is not taking votes now');
      const entry = s.posts.get(p.postId as string);
      if (!entry || !isPublic(entry.post)) return fail('not_found', 'no such post');
      let voters = s.votes.get(entry.post.id);
      if (!voters) s.votes.set(entry.post.id, (voters = new Set()));
      if (p.isOn) voters.add(socket.data.principal.deviceId!);
      else voters.delete(socket.data.principal.deviceId!);
      dirty.add(s.id);
      return ok({ postId: entry.post.id, isOn: p.isOn });
    },
  ),

  'reaction:send': inSession(
    { commandId: id, reaction: (v) => typeof v === 'string' && REACTIONS.includes(v) },
    'device',
    (_socket, s, p) => {
      if (!s.settings.isOpen) return fail('closed', 'this session is not taking reactions now');
      const reaction = p.reaction as string;
      if (!s.settings.reactions.includes(reaction))
        return fail('invalid_input', 'this reaction is not offered in this session');
      s.reactions[reaction] = (s.reactions[reaction] ?? 0) + 1;
      dirty.add(s.id);
      return ok({});
    },
  ),

  'post:approve': inSession(
    { commandId: id, postId: id, version: (v) => Number.isInteger(v) && (v as number) >= 1 },
    'staff',
    (_socket, s, p) => {
      const entry = s.posts.get(p.postId as string);
      if (!entry) return fail('not_found', 'no such post');
      const before = entry.post;
      if (before.version !== p.version)
        return fail('conflict', 'someone else changed this post first');
      if (before.status !== 'pending')
        return fail('invalid_state', `cannot approve a ${before.status} post`);
      const post: Post = {
        ...before,
        status: 'visible',
        heldReason: null,
        version: before.version + 1,
        updatedAt: Date.now(),
      };
      entry.post = post;
      publish(s, [
        { stream: 'public', update: { type: 'post:created', post: publicView(post) } },
        { stream: 'staff', update: { type: 'post:updated', post } },
        { stream: `private:${entry.author}`, update: { type: 'post:updated', post } },
      ]);
      return ok({ post });
    },
  ),
};

io.on('connection', (socket: BaselineSocket) => {
  for (const [name, handler] of Object.entries(handlers)) {
    (socket.on as (event: string, listener: (...args: unknown[]) => void) => void)(
      name,
      async (...args: unknown[]) => {
        const ack =
          typeof args[args.length - 1] === 'function' ? (args.pop() as (r: unknown) => void) : null;
        let result: unknown;
        try {
          result = await handler(socket, args[0] as Payload);
        } catch {
          result = fail('internal', 'something went wrong');
        }
        ack?.(result);
      },
    );
  }
});

// The same accept queue as the app's (server/src/server.ts: LISTEN_BACKLOG).
httpServer.listen({ port, host, backlog: 4096 }, () => {
  console.log(`baseline listening on http://${host}:${port}`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.on(signal, () => {
    io.close();
    process.exit(0);
  });
