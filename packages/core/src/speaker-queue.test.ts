import { describe, expect, it } from 'vitest';
import { asId } from './ids.js';
import type { DeviceId, SessionId } from './ids.js';
import {
  callNext,
  cancelMic,
  emptyQueue,
  moveTicket,
  queueAppends,
  queueStaffView,
  queueSummary,
  requestMic,
} from './speaker-queue.js';
import type { QueueResult, SpeakerQueue } from './speaker-queue.js';

const SESSION = asId<SessionId>('ses_00000001');
const dev = (n: number) => asId<DeviceId>(`dev_0000000${n}`);

function ok(result: QueueResult): SpeakerQueue {
  if (!result.ok) throw new Error(result.message);
  return result.queue;
}

function lineOf(devices: number) {
  let queue = emptyQueue(SESSION);
  for (let i = 1; i <= devices; i++)
    queue = ok(requestMic(queue, { id: `mic_${i}`, deviceId: dev(i), name: `P${i}`, now: i }));
  return queue;
}

describe('the speaker queue', () => {
  it('[Q1] numbers tickets from 1 and allows one open ticket per device, again after it closed', () => {
    const queue = lineOf(3);
    expect(Object.values(queue.tickets).map((t) => t.number)).toEqual([1, 2, 3]);
    expect(queueSummary(queue)).toEqual({ current: null, next: 1, waiting: 3 });
    expect(requestMic(queue, { id: 'mic_x', deviceId: dev(2), name: null, now: 9 })).toMatchObject({
      ok: false,
      code: 'invalid_state',
    });
    const cancelled = ok(cancelMic(queue, 'mic_2', dev(2), 10));
    const again = ok(requestMic(cancelled, { id: 'mic_y', deviceId: dev(2), name: null, now: 11 }));
    expect(again.tickets.mic_y!.number).toBe(4);
    expect(again.waiting).toEqual(['mic_1', 'mic_3', 'mic_y']);
  });

  it('[Q2] only the own device cancels, and only an open ticket', () => {
    const queue = lineOf(2);
    expect(cancelMic(queue, 'mic_1', dev(2), 5)).toMatchObject({ ok: false, code: 'not_found' });
    const cancelled = ok(cancelMic(queue, 'mic_1', dev(1), 5));
    expect(cancelMic(cancelled, 'mic_1', dev(1), 6)).toMatchObject({ code: 'invalid_state' });
  });

  it('[Q3] calling next ends the current turn and moves the line; moving reorders waiting tickets only', () => {
    const first = ok(callNext(lineOf(3), 5));
    expect(queueSummary(first)).toEqual({ current: 1, next: 2, waiting: 2 });
    const second = ok(callNext(first, 6));
    expect(second.tickets.mic_1!.status).toBe('done');
    expect(queueSummary(second)).toEqual({ current: 2, next: 3, waiting: 1 });
    const last = ok(callNext(ok(callNext(second, 7)), 8));
    expect(queueSummary(last)).toEqual({ current: null, next: null, waiting: 0 });
    expect(callNext(last, 9)).toMatchObject({ ok: false, code: 'invalid_state' });

    const line = lineOf(4);
    expect(ok(moveTicket(line, 'mic_4', 1)).waiting).toEqual(['mic_4', 'mic_1', 'mic_2', 'mic_3']);
    expect(ok(moveTicket(line, 'mic_1', 99)).waiting).toEqual(['mic_2', 'mic_3', 'mic_4', 'mic_1']);
    expect(moveTicket(first, 'mic_1', 2)).toMatchObject({ ok: false, code: 'invalid_state' });
    expect(moveTicket(line, 'mic_none', 1)).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('[Q4] a change tells the public numbers only, staff everything, and each device whose place changed', () => {
    const before = lineOf(3);
    const after = ok(moveTicket(before, 'mic_3', 1));
    const appends = queueAppends(before, after);
    // No. 3 is next now: the public summary changed, and every place in the line did.
    expect(appends.map((a) => a.stream)).toEqual([
      'public',
      'staff',
      'private:dev_00000001',
      'private:dev_00000002',
      'private:dev_00000003',
    ]);
    expect(JSON.stringify(appends[0])).not.toContain('P1');
    expect(appends[0]!.update).toEqual({
      type: 'queue:updated',
      queue: { current: null, next: 3, waiting: 3 },
    });
    expect(queueStaffView(after).tickets.map((t) => [t.number, t.name, t.status])).toEqual([
      [3, 'P3', 'next'],
      [1, 'P1', 'waiting'],
      [2, 'P2', 'waiting'],
    ]);
    // Moving the last one place up changes two devices' places and not the public summary.
    const swap = ok(moveTicket(before, 'mic_3', 2));
    expect(queueAppends(before, swap).map((a) => a.stream)).toEqual([
      'staff',
      'private:dev_00000002',
      'private:dev_00000003',
    ]);
    expect(JSON.stringify(queueAppends(before, swap))).not.toContain('dev_00000001');
  });
});
