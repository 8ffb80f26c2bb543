/**
 * "I'd rather say it myself" (SPEC Q1-Q6): attendees ask for the microphone instead of
 * typing. Each gets a number (per session, from 1), sees their position and is told when they
 * are next; the moderator calls the next speaker or moves a ticket. The public sees numbers
 * only ("Next: no. 14"); names stay with staff. Pure functions over one queue document per
 * session, stored whole and versioned like a post.
 */
import type { DeviceId, SessionId } from './ids.js';
import type { StreamAppend, StreamKey } from './streams.js';
import { privateStream } from './streams.js';

export type MicStatus = 'waiting' | 'current' | 'done' | 'cancelled';

export interface MicTicket {
  id: string;
  number: number;
  /** The device that asked. Never sent out (P5). */
  deviceId: DeviceId;
  /** Optional, shown to staff only. */
  name: string | null;
  status: MicStatus;
  createdAt: number;
  updatedAt: number;
}

export interface SpeakerQueue {
  sessionId: SessionId;
  /** Bumped on every change; the store applies a change only at the version it was made from. */
  version: number;
  /** The number the next ticket gets. */
  nextNumber: number;
  /** The ticket at the microphone now. */
  current: string | null;
  /** Waiting tickets, first in line first. */
  waiting: string[];
  tickets: Record<string, MicTicket>;
}

export function emptyQueue(sessionId: SessionId): SpeakerQueue {
  return { sessionId, version: 0, nextNumber: 1, current: null, waiting: [], tickets: {} };
}

/** What the device is told about its own ticket (`mic:ticket`); 'next' is first in line. */
export interface MicTicketView {
  ticketId: string;
  number: number;
  /** 1 for the first in line; 0 when not waiting. */
  position: number;
  status: MicStatus | 'next';
}

/** The public summary: numbers only (`queue:updated` on the public stream). */
export interface QueueSummary {
  current: number | null;
  next: number | null;
  waiting: number;
}

/** Staff see every open ticket, with the name if one was given. */
export interface QueueStaffTicket extends MicTicketView {
  name: string | null;
}

export interface QueueStaffView extends QueueSummary {
  tickets: QueueStaffTicket[];
}

export function ticketView(queue: SpeakerQueue, ticket: MicTicket): MicTicketView {
  const index = queue.waiting.indexOf(ticket.id);
  const position = index + 1;
  return {
    ticketId: ticket.id,
    number: ticket.number,
    position,
    status: ticket.status === 'waiting' && position === 1 ? 'next' : ticket.status,
  };
}

export function queueSummary(queue: SpeakerQueue): QueueSummary {
  const numberOf = (id: string | null | undefined) =>
    id ? (queue.tickets[id]?.number ?? null) : null;
  return {
    current: numberOf(queue.current),
    next: numberOf(queue.waiting[0]),
    waiting: queue.waiting.length,
  };
}

/** [Q3] The current speaker first, then the line in order. */
export function queueStaffView(queue: SpeakerQueue): QueueStaffView {
  const open = [...(queue.current ? [queue.current] : []), ...queue.waiting];
  return {
    ...queueSummary(queue),
    tickets: open.map((id) => {
      const ticket = queue.tickets[id]!;
      return { ...ticketView(queue, ticket), name: ticket.name };
    }),
  };
}

/** The device's open ticket (waiting or at the microphone), if any. */
export function openTicketOf(queue: SpeakerQueue, deviceId: string): MicTicket | null {
  return (
    Object.values(queue.tickets).find(
      (t) => t.deviceId === deviceId && (t.status === 'waiting' || t.status === 'current'),
    ) ?? null
  );
}

export type QueueResult =
  | { ok: true; queue: SpeakerQueue; ticket: MicTicket | null }
  | { ok: false; code: 'invalid_state' | 'not_found'; message: string };

const bump = (queue: SpeakerQueue, change: Partial<SpeakerQueue>): SpeakerQueue => ({
  ...queue,
  ...change,
  version: queue.version + 1,
});

/** [Q1] One open ticket per device; numbers count from 1 per session. */
export function requestMic(
  queue: SpeakerQueue,
  input: { id: string; deviceId: DeviceId; name: string | null; now: number },
): QueueResult {
  if (openTicketOf(queue, input.deviceId))
    return { ok: false, code: 'invalid_state', message: 'you already have a ticket' };
  const ticket: MicTicket = {
    id: input.id,
    number: queue.nextNumber,
    deviceId: input.deviceId,
    name: input.name,
    status: 'waiting',
    createdAt: input.now,
    updatedAt: input.now,
  };
  return {
    ok: true,
    ticket,
    queue: bump(queue, {
      nextNumber: queue.nextNumber + 1,
      waiting: [...queue.waiting, ticket.id],
      tickets: { ...queue.tickets, [ticket.id]: ticket },
    }),
  };
}

const withStatus = (ticket: MicTicket, status: MicStatus, now: number): MicTicket => ({
  ...ticket,
  status,
  updatedAt: now,
});

/** [Q2] The ticket's own device cancels it, waiting or at the microphone. */
export function cancelMic(
  queue: SpeakerQueue,
  ticketId: string,
  deviceId: string,
  now: number,
): QueueResult {
  const ticket = queue.tickets[ticketId];
  if (!ticket || ticket.deviceId !== deviceId)
    return { ok: false, code: 'not_found', message: 'no such ticket of yours' };
  if (ticket.status !== 'waiting' && ticket.status !== 'current')
    return { ok: false, code: 'invalid_state', message: `the ticket is ${ticket.status}` };
  const cancelled = withStatus(ticket, 'cancelled', now);
  return {
    ok: true,
    ticket: cancelled,
    queue: bump(queue, {
      current: queue.current === ticketId ? null : queue.current,
      waiting: queue.waiting.filter((id) => id !== ticketId),
      tickets: { ...queue.tickets, [ticketId]: cancelled },
    }),
  };
}

/** [Q3] The current speaker is done; the first in line goes to the microphone. */
export function callNext(queue: SpeakerQueue, now: number): QueueResult {
  const tickets = { ...queue.tickets };
  if (queue.current) tickets[queue.current] = withStatus(tickets[queue.current]!, 'done', now);
  const [first, ...rest] = queue.waiting;
  if (first) tickets[first] = withStatus(tickets[first]!, 'current', now);
  if (!queue.current && !first)
    return { ok: false, code: 'invalid_state', message: 'nobody is waiting' };
  return {
    ok: true,
    ticket: first ? tickets[first]! : null,
    queue: bump(queue, { current: first ?? null, waiting: rest, tickets }),
  };
}

/** [Q3] Move a waiting ticket to a position in line (1 = next); beyond the end is the end. */
export function moveTicket(queue: SpeakerQueue, ticketId: string, position: number): QueueResult {
  const ticket = queue.tickets[ticketId];
  if (!ticket) return { ok: false, code: 'not_found', message: 'no such ticket' };
  if (ticket.status !== 'waiting')
    return { ok: false, code: 'invalid_state', message: `the ticket is ${ticket.status}` };
  const rest = queue.waiting.filter((id) => id !== ticketId);
  const index = Math.min(Math.max(1, position), rest.length + 1) - 1;
  const waiting = [...rest.slice(0, index), ticketId, ...rest.slice(index)];
  return { ok: true, ticket, queue: bump(queue, { waiting }) };
}

/**
 * [Q4] The stream entries for a queue change: the public summary when it changed, the staff
 * view always, and `mic:ticket` to each device whose ticket changed (status or position).
 */
export function queueAppends(before: SpeakerQueue, after: SpeakerQueue): StreamAppend[] {
  const out: StreamAppend[] = [];
  const summary = queueSummary(after);
  if (JSON.stringify(queueSummary(before)) !== JSON.stringify(summary))
    out.push({ stream: 'public', update: { type: 'queue:updated', queue: summary } });
  out.push({ stream: 'staff', update: { type: 'queue:updated', queue: queueStaffView(after) } });
  for (const ticket of Object.values(after.tickets)) {
    const view = ticketView(after, ticket);
    const old = before.tickets[ticket.id];
    if (old && JSON.stringify(ticketView(before, old)) === JSON.stringify(view)) continue;
    const stream: StreamKey = privateStream(ticket.deviceId);
    out.push({ stream, update: { type: 'mic:ticket', ticket: view } });
  }
  return out;
}
