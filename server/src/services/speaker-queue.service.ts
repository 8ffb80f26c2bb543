/**
 * The speaker queue (SPEC Q1-Q6): a phone asks for the microphone, cancels; the moderator
 * calls the next person and reorders the line. Core decides; the store keeps the queue by
 * version with its stream entries.
 */
import {
  callNext,
  cancelMic,
  checkName,
  emptyQueue,
  moveTicket,
  queueAppends,
  queueStaffView,
  requestMic,
  ticketView,
} from '@gt/core';
import type { LogAction, QueueResult, SpeakerQueue } from '@gt/core';
import { fail } from '@gt/protocol';
import type { Result } from '@gt/protocol';
import type { QueueStore } from '../store/store.js';
import type { CommandContext, Handlers, Shared } from './context.js';
import { nameRefusal } from './refusals.js';
import { newId } from './tokens.js';

/** How often a change is made again from the new queue after losing a race. */
const QUEUE_ATTEMPTS = 8;

type Decided = Extract<QueueResult, { ok: true }>;

export function speakerQueueHandlers({ store, shared }: { store: QueueStore; shared: Shared }) {
  /**
   * [Q6] Change the speaker queue: read it, let core decide, store it at the version read with
   * its stream (and log) entries. Two changes made from one version: the later is a conflict
   * in the store and is made again from the new queue.
   */
  async function queueChange<A>(
    ctx: CommandContext,
    p: { commandId: string },
    decide: (queue: SpeakerQueue, now: number) => QueueResult,
    ack: (queue: SpeakerQueue, result: Decided) => A,
    log?: (queue: SpeakerQueue, result: Decided) => { action: LogAction; detail: string | null },
  ): Promise<Result<A>> {
    const sessionId = ctx.session!.id;
    for (let attempt = 0; attempt < QUEUE_ATTEMPTS; attempt++) {
      const before = (await store.getQueue(sessionId)) ?? emptyQueue(sessionId);
      const result = decide(before, shared.now());
      if (!result.ok) return fail(result.code, result.message);
      const entry = log?.(result.queue, result);
      const commit = await store.saveQueue(
        shared.commandRef(ctx, p)!,
        result.queue,
        before.version,
        queueAppends(before, result.queue),
        ack(result.queue, result),
        entry ? [await shared.logEntry(ctx, entry.action, null, entry.detail)] : [],
      );
      if (commit.kind !== 'conflict') return shared.finish(commit);
    }
    return fail('conflict', 'the line for the microphone keeps changing; please try again');
  }

  return {
    // [Q1] One open ticket per device; numbers from 1 per session.
    'mic:request': async (ctx, p) => {
      const name = checkName(p.name);
      if (!name.ok) return nameRefusal(name, 'name');
      const id = newId('mic');
      return queueChange(
        ctx,
        p,
        (queue, now) =>
          requestMic(queue, { id, deviceId: ctx.you.deviceId!, name: name.text, now }),
        (queue, result) => ({ ticket: ticketView(queue, result.ticket!) }),
      );
    },

    'mic:cancel': (ctx, p) =>
      queueChange(
        ctx,
        p,
        (queue, now) => cancelMic(queue, p.ticketId, ctx.you.deviceId!, now),
        (queue, result) => ({ ticket: ticketView(queue, result.ticket!) }),
      ),

    'mic:call-next': (ctx, p) =>
      queueChange(
        ctx,
        p,
        (queue, now) => callNext(queue, now),
        (queue) => ({ queue: queueStaffView(queue) }),
        (_queue, result) => ({
          action: 'mic-call-next',
          detail: result.ticket ? `no. ${result.ticket.number}` : null,
        }),
      ),

    'mic:move': (ctx, p) =>
      queueChange(
        ctx,
        p,
        (queue) => moveTicket(queue, p.ticketId, p.position),
        (queue) => ({ queue: queueStaffView(queue) }),
        (queue, result) => ({
          action: 'mic-move',
          detail: `no. ${result.ticket!.number} to place ${queue.waiting.indexOf(result.ticket!.id) + 1}`,
        }),
      ),
  } satisfies Partial<Handlers>;
}
