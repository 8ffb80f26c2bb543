/**
 * Socket.IO transport. Thin by design: the handshake checks the protocol version and reads
 * the tokens; every command in the protocol table is registered through one wrapper that
 * hands the raw payload to the service and acknowledges whatever comes back; committed
 * stream entries are relayed to the rooms entitled to them.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Socket } from 'socket.io';
import { COMMAND_NAMES, fail, handshakeSchema, PROTOCOL_VERSION } from '@gt/protocol';
import type { ClientToServerEvents, CommandName, Result, ServerToClientEvents } from '@gt/protocol';
import type { SessionPrincipal } from '@gt/core';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import type { AppendedEntry, Store } from '../store/store.js';
import { WALL_TICK_MS, WallRotation } from '../services/wall-rotation.js';
import type { FanOut } from './redis-adapter.js';
import type { Application, Principal, Publisher } from '../services/application.js';

/** Socket.IO's default is 1 MB; no command needs more than a few KB (DESIGN: ~16 KB). */
export const MAX_MESSAGE_BYTES = 16 * 1024;
/** How often changed counts go out: often enough to feel live, rarely enough to be cheap. */
export const COUNTS_INTERVAL_MS = 250;
/** A socket may follow a few sessions at once (a wall and a phone in one tab), not thousands. */
const MAX_SESSIONS_PER_SOCKET = 8;
/** The command names as a set: every inbound message is looked up here first. */
const COMMANDS: ReadonlySet<string> = new Set(COMMAND_NAMES);

interface SocketData {
  principal: Principal;
  sessions: Set<string>;
}

type TalksServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
type TalksSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

export const rooms = {
  public: (sessionId: string) => `s:${sessionId}:public`,
  staff: (sessionId: string) => `s:${sessionId}:staff`,
  device: (sessionId: string, deviceId: string) => `s:${sessionId}:dev:${deviceId}`,
  /** [SC5] Attendee sockets (a device, not staff here), counted for the participant count. */
  attendees: (sessionId: string) => `s:${sessionId}:attendees`,
  /** Every socket that authenticated with one moderator link, so revoking it can close them. */
  link: (linkId: string) => `link:${linkId}`,
  /** [O4] Every socket of one account's login into one organisation, so ending it closes them. */
  login: (orgId: string, accountId: string) => `login:${orgId}:${accountId}`,
};

function roomsFor(sessionId: string, you: SessionPrincipal): string[] {
  const list = [rooms.public(sessionId)];
  if (you.staff) list.push(rooms.staff(sessionId));
  if (you.deviceId) list.push(rooms.device(sessionId, you.deviceId));
  if (you.deviceId && !you.staff) list.push(rooms.attendees(sessionId));
  return list;
}

/**
 * The client's address for rate limiting only (it is hashed at once, never stored): the
 * socket's peer, or behind a trusted proxy the address the proxy saw.
 */
function clientAddress(
  handshake: { address: string; headers: Record<string, string | string[] | undefined> },
  trustProxy: boolean | number,
): string {
  const header = handshake.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (trustProxy === false || trustProxy === 0 || forwarded.length === 0) return handshake.address;
  // With a hop count, the entry that many hops back is the one our trusted proxies added.
  if (typeof trustProxy === 'number')
    return forwarded[Math.max(0, forwarded.length - trustProxy)] ?? handshake.address;
  return forwarded[0] ?? handshake.address;
}

export interface RealtimeOptions {
  httpServer: HttpServer;
  service: Application;
  logger: Logger;
  allowedOrigins: string[];
  /** As Express's `trust proxy`: whether (or how many hops of) X-Forwarded-For to believe. */
  trustProxy?: boolean | number;
  /** Socket.IO adapter for several nodes (Redis); the in-memory default serves one node. */
  adapter?: FanOut['adapter'];
  /** The store the wall's rotation keeps exposure and its claim in. */
  store: Store;
}

export function createRealtime({
  httpServer,
  service,
  logger,
  allowedOrigins,
  trustProxy = false,
  adapter,
  store,
}: RealtimeOptions) {
  const io: TalksServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    ...(adapter ? { adapter } : {}),
    perMessageDeflate: false,
    serveClient: false,
    // Recovery stays off: catch-up by sequence number is the one recovery mechanism, and with
    // recovery on, middlewares would be skipped on reconnect.
    cors: { origin: allowedOrigins, credentials: true },
    // CORS does not cover WebSockets: check the Origin of every handshake ourselves. Clients
    // that send no Origin (native apps, scripts) are not browsers acting for a third party.
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      callback(
        origin && !allowedOrigins.includes(origin) ? 'origin_not_allowed' : null,
        !origin || allowedOrigins.includes(origin),
      );
    },
  });

  io.use((socket, next) => {
    const parsed = handshakeSchema.safeParse(socket.handshake.auth ?? {});
    if (!parsed.success)
      return next(
        Object.assign(new Error('invalid_handshake'), { data: { expected: PROTOCOL_VERSION } }),
      );
    if (parsed.data.v !== PROTOCOL_VERSION) {
      return next(
        Object.assign(new Error('protocol_mismatch'), {
          data: { expected: PROTOCOL_VERSION, got: parsed.data.v },
        }),
      );
    }
    // An invalid token is ignored rather than refused: the client learns its standing from
    // the join acknowledgement and can register a new device.
    socket.data.principal = {
      ...service.principalFrom({ device: parsed.data.device, staff: parsed.data.staff }),
      addressKey: service.addressKey(clientAddress(socket.handshake, trustProxy)),
    };
    socket.data.sessions = new Set();
    next();
  });

  io.on('connection', (socket: TalksSocket) => {
    const staff = socket.data.principal.staff;
    if (staff?.k === 'm') void socket.join(rooms.link(staff.l));
    if (staff?.k === 'o') void socket.join(rooms.login(staff.org, staff.a));
    socket.on('disconnect', () => {
      for (const sessionId of socket.data.sessions) dirtyParticipants.add(sessionId);
    });
    // One listener for every command, not one per command and socket: with 30-odd commands
    // those closures were about a third of what an idle phone's connection cost in memory
    // (bench S1). Socket.IO appends the acknowledgement callback to the arguments.
    socket.onAny((name: unknown, ...args: unknown[]) => {
      if (typeof name !== 'string' || !COMMANDS.has(name)) {
        logger.debug({ name: String(name).slice(0, 40) }, 'unknown command ignored');
        return;
      }
      void handle(socket, name as CommandName, args);
    });
  });

  /** One wrapper for every command: never throws, always acknowledges when it can. */
  async function handle(socket: TalksSocket, name: CommandName, args: unknown[]) {
    const ack =
      typeof args[args.length - 1] === 'function'
        ? (args.pop() as (r: Result<unknown>) => void)
        : null;
    let result: Result<unknown>;
    try {
      result = await run(socket, name, args[0]);
    } catch (error) {
      logger.error({ err: error, command: name }, 'handler failed');
      result = fail('internal', 'something went wrong on the server; please try again');
    }
    if (ack) ack(result);
  }

  async function run(
    socket: TalksSocket,
    name: CommandName,
    payload: unknown,
  ): Promise<Result<unknown>> {
    const { principal } = socket.data;
    if (name === 'session:join') {
      const sessionId = (payload as { sessionId?: unknown } | null)?.sessionId;
      if (typeof sessionId !== 'string') return service.execute(principal, name, payload);
      if (
        !socket.data.sessions.has(sessionId) &&
        socket.data.sessions.size >= MAX_SESSIONS_PER_SOCKET
      ) {
        return fail(
          'rate_limited',
          `a connection can follow at most ${MAX_SESSIONS_PER_SOCKET} sessions`,
        );
      }
      const session = await service.getSession(sessionId);
      if (!session) return service.execute(principal, name, payload);
      // Join the rooms before the snapshot is read, so nothing committed in between is missed:
      // the client drops updates its snapshot already covers.
      const you = await service.sessionPrincipal(principal, session);
      const joined = roomsFor(session.id, you);
      await socket.join(joined);
      // The session and the principal's standing are read once, here, not again by the bus.
      const result = await service.execute(principal, name, payload, { session, you });
      if (result.ok) {
        socket.data.sessions.add(session.id);
        joinedSessions.add(session.id);
      } else for (const room of joined) await socket.leave(room);
      if (joined.includes(rooms.attendees(session.id))) dirtyParticipants.add(session.id);
      return result;
    }
    const result = await service.execute(principal, name, payload);
    if (result.ok && name === 'session:leave') {
      const sessionId = (payload as { sessionId: string }).sessionId;
      for (const room of [...socket.rooms])
        if (room.startsWith(`s:${sessionId}:`)) await socket.leave(room);
      socket.data.sessions.delete(sessionId);
      dirtyParticipants.add(sessionId);
    }
    if (result.ok && name === 'device:register') {
      const { deviceToken } = result.data as { deviceToken: string };
      socket.data.principal = {
        ...principal,
        deviceId: service.principalFrom({ device: deviceToken }).deviceId,
      };
    }
    return result;
  }

  // Publishing -------------------------------------------------------------------------------

  const dirtyCounts = new Set<string>();
  /** Sessions that had a socket joined on this node (pruned when their public room empties). */
  const joinedSessions = new Set<string>();
  /** Sessions an attendee socket joined or left: their participant count may have changed. */
  const dirtyParticipants = new Set<string>();
  /** [PL10] Polls whose results changed since the last tick, by session. */
  const dirtyPolls = new Map<string, Set<string>>();

  const publisher: Publisher = {
    publish(entries: AppendedEntry[]) {
      for (const entry of entries) {
        const room =
          entry.stream === 'public'
            ? rooms.public(entry.sessionId)
            : entry.stream === 'staff'
              ? rooms.staff(entry.sessionId)
              : rooms.device(entry.sessionId, entry.stream.slice('private:'.length));
        const stream =
          entry.stream === 'public' || entry.stream === 'staff' ? entry.stream : 'private';
        if (entry.stream === 'public') wall.postsChanged(entry.sessionId);
        const payload = { sessionId: entry.sessionId, stream, seq: entry.seq, ...entry.update };
        // The union of update payloads is not narrowed by the shared `type`; the store wrote
        // an update that core built, so the shape matches the table.
        (io.to(room).emit as (name: string, payload: unknown) => boolean)(
          entry.update.type,
          payload,
        );
      }
    },
    countsChanged(sessionId: string) {
      dirtyCounts.add(sessionId);
    },
    pollResultsChanged(sessionId: string, pollId: string) {
      const polls = dirtyPolls.get(sessionId) ?? new Set<string>();
      polls.add(pollId);
      dirtyPolls.set(sessionId, polls);
    },
    linkRevoked(linkId: string) {
      // Through the adapter this reaches the link's sockets on every node.
      io.in(rooms.link(linkId)).disconnectSockets(true);
    },
    loginEnded(orgId: string, accountId: string) {
      // As for a link: the adapter carries it to every node. The store already refuses the
      // login (O4); this stops the staff updates its open consoles were still receiving.
      io.in(rooms.login(orgId, accountId)).disconnectSockets(true);
    },
    logged(entries) {
      for (const entry of entries) {
        const { sessionId, ...view } = entry;
        io.to(rooms.staff(sessionId)).emit('log:entry', { sessionId, entry: view });
      }
    },
    async participants(sessionId: string) {
      // Through the adapter this asks every node. Devices, not sockets: a phone with two
      // tabs open is one person in the room.
      const sockets = await io.in(rooms.attendees(sessionId)).fetchSockets();
      return new Set(sockets.map((s) => s.data.principal.deviceId)).size;
    },
  };

  // [FV2] The wall's rotation, for the sessions with sockets on this node.
  const wall = new WallRotation({
    store,
    nodeId: randomUUID(),
    logger,
    announce: (sessionId, set) =>
      io.to(rooms.public(sessionId)).emit('wall:rotation', { sessionId, ...set }),
    exposureChanged: (sessionId) => dirtyCounts.add(sessionId),
  });
  const wallTimer = setInterval(() => {
    const localRooms = io.sockets.adapter.rooms;
    for (const id of joinedSessions)
      if (!localRooms.has(rooms.public(id))) joinedSessions.delete(id);
    void wall.tick(joinedSessions);
  }, WALL_TICK_MS);
  wallTimer.unref();

  /**
   * [PL10] Results of the polls answered since the last tick: to staff always, to the rest of
   * the room while they are shown. A thousand answers in a second become four messages. Each
   * node sends after its own answers, read from the store, so the last one is exact; a reader
   * keeps the highest revision when two nodes' messages cross.
   */
  function sendPollResults() {
    const batch = [...dirtyPolls].flatMap(([sessionId, polls]) =>
      [...polls].map((pollId) => ({ sessionId, pollId })),
    );
    dirtyPolls.clear();
    for (const { sessionId, pollId } of batch) {
      void (async () => {
        const views = await service.pollResultsViews(sessionId, pollId);
        if (!views) return;
        io.to(rooms.staff(sessionId)).emit('poll:results', { sessionId, ...views.staff });
        if (views.public)
          io.to(rooms.public(sessionId))
            .except(rooms.staff(sessionId))
            .emit('poll:results', { sessionId, ...views.public });
      })().catch((error: unknown) =>
        logger.warn({ err: error, sessionId }, 'poll results update failed'),
      );
    }
  }

  const countsTimer = setInterval(() => {
    if (dirtyPolls.size > 0) sendPollResults();
    if (dirtyCounts.size === 0 && dirtyParticipants.size === 0) return;
    const batch = new Set([...dirtyCounts, ...dirtyParticipants]);
    const onlyParticipants = new Set([...dirtyParticipants].filter((id) => !dirtyCounts.has(id)));
    dirtyCounts.clear();
    dirtyParticipants.clear();
    for (const sessionId of batch) {
      void (async () => {
        const session = await service.getSession(sessionId);
        if (!session) return;
        // Attendees coming and going change nothing on screen unless the count is shown.
        if (onlyParticipants.has(sessionId) && !session.settings.showParticipantCount) return;
        const counts = await service.countsViews(session);
        if (counts.public === counts.staff) {
          // Votes are shown: everyone (staff sockets are in the public room too) gets one message.
          io.to(rooms.public(sessionId)).emit('counts', counts.public);
          return;
        }
        io.to(rooms.staff(sessionId)).emit('counts', counts.staff);
        io.to(rooms.public(sessionId)).except(rooms.staff(sessionId)).emit('counts', counts.public);
      })().catch((error: unknown) =>
        logger.warn({ err: error, sessionId }, 'counts update failed'),
      );
    }
  }, COUNTS_INTERVAL_MS);
  countsTimer.unref();

  return {
    io,
    publisher,
    async close() {
      clearInterval(countsTimer);
      clearInterval(wallTimer);
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
