/**
 * "I'd rather say it myself" (SPEC Q1-Q6) end to end: real app, real SQLite and Redis, real
 * socket.io-client connections for phones, a moderator and the wall; and a restart.
 */
import { describe, expect, it } from 'vitest';
import { commandId, startTestApp, STORE_KINDS, useTestApp, waitFor } from '../testing/test-app.js';
import type { TestApp, TestClient, TestStore } from '../testing/test-app.js';

describe.each(STORE_KINDS)('speaker queue on %s', (kind) => {
  let testStore: TestStore;
  let t: TestApp;
  useTestApp(kind, (app, store) => ((t = app), (testStore = store)));

  const last = (client: TestClient, name: string, stream?: string) =>
    [...client.updates]
      .reverse()
      .find((u) => u.name === name && (!stream || u.payload.stream === stream))?.payload;

  it('[Q1]-[Q5] phones get numbers and positions, are told when next; the moderator calls and moves; the wall sees numbers only', async () => {
    const { session, moderatorToken } = await t.createSession();
    const sid = session.id;
    const moderator = await t.client({ staff: moderatorToken });
    const wall = await t.client();
    const [ann, bo, cy] = [await t.attendee(), await t.attendee(), await t.attendee()];
    for (const c of [moderator, wall, ann, bo, cy])
      await c.must('session:join', { sessionId: sid });
    const ask = (c: TestClient, name?: string) =>
      c.must('mic:request', { sessionId: sid, commandId: commandId(), ...(name ? { name } : {}) });

    const a = await ask(ann, 'Ann Ærø');
    const b = await ask(bo);
    const c = await ask(cy, 'Cy');
    expect([a.ticket, b.ticket, c.ticket]).toEqual([
      { ticketId: a.ticket.ticketId, number: 1, position: 1, status: 'next' },
      { ticketId: b.ticket.ticketId, number: 2, position: 2, status: 'waiting' },
      { ticketId: c.ticket.ticketId, number: 3, position: 3, status: 'waiting' },
    ]);
    // One open ticket per device.
    expect(await ann.call('mic:request', { sessionId: sid, commandId: commandId() })).toMatchObject(
      { ok: false, error: { code: 'invalid_state' } },
    );
    await waitFor(
      'the wall to see three waiting',
      () =>
        JSON.stringify(last(wall, 'queue:updated')?.queue) ===
        JSON.stringify({ current: null, next: 1, waiting: 3 }),
    );
    // Numbers only to the public: no names, no tickets, no private updates.
    expect(wall.raw.filter((r) => r.includes('Ærø') || r.includes('tickets'))).toEqual([]);
    expect(wall.updates.filter((u) => u.name === 'mic:ticket')).toEqual([]);
    expect(last(moderator, 'queue:updated', 'staff')?.queue).toMatchObject({
      tickets: [
        { number: 1, name: 'Ann Ærø', status: 'next' },
        { number: 2, name: null },
        { number: 3, name: 'Cy' },
      ],
    });

    // Cy moves to the front; Ann and Bo are told their new places.
    const moved = await moderator.must('mic:move', {
      sessionId: sid,
      commandId: commandId(),
      ticketId: c.ticket.ticketId,
      position: 1,
    });
    expect(moved.queue.tickets.map((x) => [x.number, x.position, x.status])).toEqual([
      [3, 1, 'next'],
      [1, 2, 'waiting'],
      [2, 3, 'waiting'],
    ]);
    await waitFor(
      'Cy to be told they are next',
      () =>
        JSON.stringify(last(cy, 'mic:ticket')?.ticket) ===
        JSON.stringify({ ticketId: c.ticket.ticketId, number: 3, position: 1, status: 'next' }),
    );
    await waitFor(
      'Ann to be told her new place',
      () => (last(ann, 'mic:ticket')?.ticket as { position: number } | undefined)?.position === 2,
    );

    // Bo gives up; Cy is called; Ann is next.
    expect(
      await bo.must('mic:cancel', {
        sessionId: sid,
        commandId: commandId(),
        ticketId: b.ticket.ticketId,
      }),
    ).toEqual({
      ticket: { ticketId: b.ticket.ticketId, number: 2, position: 0, status: 'cancelled' },
    });
    expect(
      await ann.call('mic:cancel', {
        sessionId: sid,
        commandId: commandId(),
        ticketId: c.ticket.ticketId,
      }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const called = await moderator.must('mic:call-next', {
      sessionId: sid,
      commandId: commandId(),
    });
    expect(called.queue).toMatchObject({ current: 3, next: 1, waiting: 1 });
    await waitFor(
      'the wall to show the speaker and the next',
      () =>
        JSON.stringify(last(wall, 'queue:updated')?.queue) ===
        JSON.stringify({ current: 3, next: 1, waiting: 1 }),
    );
    await waitFor(
      'Cy to be told they have the microphone',
      () =>
        (last(cy, 'mic:ticket')?.ticket as { status: string } | undefined)?.status === 'current',
    );
    await waitFor(
      'Ann to be told she is next',
      () => (last(ann, 'mic:ticket')?.ticket as { status: string } | undefined)?.status === 'next',
    );
    await moderator.must('mic:call-next', { sessionId: sid, commandId: commandId() });
    await waitFor(
      'Cy to be told they are done',
      () => (last(cy, 'mic:ticket')?.ticket as { status: string } | undefined)?.status === 'done',
    );

    // A fresh page shows the queue from the join acknowledgement, each in its own view.
    const wallJoin = await wall.must('session:join', { sessionId: sid });
    expect(wallJoin.streams.public.queue).toEqual({ current: 1, next: null, waiting: 0 });
    const annJoin = await ann.must('session:join', { sessionId: sid });
    expect(annJoin.streams.private?.micTicket).toMatchObject({ number: 1, status: 'current' });
    const boJoin = await bo.must('session:join', { sessionId: sid });
    expect(boJoin.streams.private?.micTicket).toBeNull();
    const staffJoin = await moderator.must('session:join', { sessionId: sid });
    expect(staffJoin.streams.staff?.queue).toMatchObject({
      current: 1,
      tickets: [{ number: 1, name: 'Ann Ærø', status: 'current' }],
    });
    const { entries } = await moderator.must('log:list', { sessionId: sid, limit: 3 });
    expect(entries.map((e) => [e.action, e.detail])).toEqual([
      ['mic-call-next', 'no. 1'],
      ['mic-call-next', 'no. 3'],
      ['mic-move', 'no. 3 to place 1'],
    ]);
  });

  it('[Q1] [Q6] concurrent requests get distinct numbers, and the queue survives a restart', async () => {
    const { session } = await t.createSession();
    const sid = session.id;
    const phones = await Promise.all(Array.from({ length: 8 }, () => t.attendee()));
    const tickets = await Promise.all(
      phones.map((p) => p.must('mic:request', { sessionId: sid, commandId: commandId() })),
    );
    expect(tickets.map((x) => x.ticket.number).sort((x, y) => x - y)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8,
    ]);
    const positions = tickets.map((x) => x.ticket.position).sort((x, y) => x - y);
    expect(positions).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

    await t.close();
    await t.store.close();
    const reopened = await testStore.reopen();
    t = await startTestApp(reopened);
    const wall = await t.client();
    const join = await wall.must('session:join', { sessionId: sid });
    expect(join.streams.public.queue).toEqual({ current: null, next: 1, waiting: 8 });
    const again = await t.client({ device: phones[3]!.deviceToken });
    const mine = await again.must('session:join', { sessionId: sid });
    expect(mine.streams.private?.micTicket).toEqual(tickets[3]!.ticket);
  });
});
