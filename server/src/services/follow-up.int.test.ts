/**
 * Topics, follow-ups and the receipt end to end over real sockets and HTTP (SPEC F1-F5).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSENT_VERSION } from '@gt/core';
import type { Receipt, Result } from '@gt/protocol';
import { commandId, makeTestStore, startTestApp } from '../testing/test-app.js';
import type { TestApp, TestStore } from '../testing/test-app.js';

describe.each(['sqlite', 'redis'] as const)('follow a topic and read the receipt (%s)', (kind) => {
  let store: TestStore;
  let t: TestApp;
  beforeAll(async () => {
    store = await makeTestStore(kind);
    t = await startTestApp(store.store);
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
  });

  it('[F1] [F2] [F3] [F5] an attendee follows a topic, finds it on the receipt from another device, and withdraws', async () => {
    const { session } = await t.createSession();
    const organiser = { staff: t.organiserToken };
    const topic = await t.app.service.createTopic(organiser, {
      eventId: session.eventId,
      sessionId: session.id,
      title: 'Cykelstier',
      contactName: 'Mette',
      contactEmail: 'mette@gentofte.example',
    });
    const otherSession = await t.createSession();
    await t.app.service.createTopic(organiser, {
      eventId: otherSession.session.eventId,
      title: 'Ikke her',
      contactName: 'Ole',
    });
    expect(topic.ok).toBe(true);
    if (!topic.ok) return;
    expect(topic.data).not.toHaveProperty('contactEmail');

    const attendee = await t.attendee();
    const { topics, organisationName } = await attendee.must('topic:list', {
      sessionId: session.id,
    });
    expect(topics.map((x) => x.title)).toEqual(['Cykelstier']);
    expect(organisationName).toBe('Gentofte Kommune');

    const base = {
      sessionId: session.id,
      topicId: topic.data.id,
      name: 'Søren',
      email: 'soren@example.dk',
      hasConsented: true,
      ageBasis: 'self_13_or_older' as const,
      consentVersion: CONSENT_VERSION,
    };
    const refused = await attendee.call('followup:create', {
      ...base,
      commandId: commandId(),
      hasConsented: false,
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', details: { field: 'consent' } },
    });
    const outdated = await attendee.call('followup:create', {
      ...base,
      commandId: commandId(),
      consentVersion: 'old',
    });
    expect(outdated).toMatchObject({
      ok: false,
      error: { details: { reason: 'consent_outdated' } },
    });
    const { post } = await attendee.must('post:create', {
      sessionId: session.id,
      commandId: commandId(),
      kind: 'question',
      text: 'Hvornår kommer cykelstien?',
    });
    const { followUp } = await attendee.must('followup:create', {
      ...base,
      commandId: commandId(),
    });
    expect(followUp).toMatchObject({ topicId: topic.data.id, consentVersion: CONSENT_VERSION });
    expect(followUp.deleteAfter - followUp.consentedAt).toBe(180 * 86_400_000);
    expect(await t.store.getFollowUp(followUp.id)).toMatchObject({
      name: 'Søren',
      email: 'soren@example.dk',
      consentVersion: CONSENT_VERSION,
      consentedAt: followUp.consentedAt,
      withdrawnAt: null,
    });

    // [F3] Nothing stored with the follow-up names the device, and the post does not name the follow-up.
    const stored = await t.store.getFollowUp(followUp.id);
    const device = (await t.store.getPost(session.id, post.id))!.authorDevice!;
    expect(JSON.stringify(stored)).not.toContain(device);
    expect(JSON.stringify(await t.store.getPost(session.id, post.id))).not.toContain(followUp.id);

    // The receipt link works from a device that never posted, over HTTP, without the device token.
    const { receiptToken, path } = await attendee.must('receipt:link', {});
    expect(path).toBe(`/r/${receiptToken}`);
    const response = await fetch(`${t.url}/api/receipt`, {
      headers: { 'x-receipt-token': receiptToken },
    });
    const receipt = (await response.json()) as Result<Receipt>;
    if (!receipt.ok) throw new Error(receipt.error.message);
    expect(receipt.data.posts).toEqual([
      {
        post: expect.objectContaining({ id: post.id, status: 'visible' }),
        sessionTitle: 'Biblioteket',
      },
    ]);
    expect(receipt.data.followUps).toEqual([
      { followUp: expect.objectContaining({ id: followUp.id }), topicTitle: 'Cykelstier' },
    ]);
    expect((await fetch(`${t.url}/api/receipt`)).status).toBe(403);

    // A stranger cannot withdraw it; the receipt can, once, and the contact details are gone.
    const stranger = await t.attendee();
    expect(
      await stranger.call('followup:withdraw', { commandId: commandId(), followUpId: followUp.id }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const withdrawal = await t.app.service.command({ receipt: receiptToken }, 'followup:withdraw', {
      commandId: 'cmd_withdraw_1',
      followUpId: followUp.id,
    });
    const again = await t.app.service.command({ receipt: receiptToken }, 'followup:withdraw', {
      commandId: 'cmd_withdraw_1',
      followUpId: followUp.id,
    });
    expect(withdrawal).toMatchObject({
      ok: true,
      data: { followUp: { name: '', email: null, phone: null } },
    });
    expect(again).toEqual(withdrawal);
    expect(JSON.stringify(await t.store.listFollowUps(topic.data.id))).not.toContain(
      'soren@example.dk',
    );
    // A receipt reads and withdraws; it cannot post as the device.
    expect(
      await t.app.service.command({ receipt: receiptToken }, 'post:create', {
        sessionId: session.id,
        commandId: commandId(),
        kind: 'idea',
        text: 'x',
      }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('[F3] [F5] no stored record ties the device to its sign-up, and after withdrawal no contact detail is left anywhere', async () => {
    const { session } = await t.createSession();
    const topic = await t.app.service.createTopic(
      { staff: t.organiserToken },
      { eventId: session.eventId, title: 'Skolevejen', contactName: 'Mette' },
    );
    if (!topic.ok) throw new Error('setup');
    const attendee = await t.attendee();
    const { post } = await attendee.must('post:create', {
      sessionId: session.id,
      commandId: commandId(),
      kind: 'idea',
      text: 'Flere skolepatruljer om morgenen',
    });
    const device = (await t.store.getPost(session.id, post.id))!.authorDevice!;
    const signUp = {
      sessionId: session.id,
      commandId: commandId(),
      topicId: topic.data.id,
      name: 'Karoline Skovgaard',
      email: 'karoline.skovgaard@example.dk',
      phone: '+45 20 30 40 50',
      hasConsented: true,
      ageBasis: 'self_13_or_older' as const,
      consentVersion: CONSENT_VERSION,
    };
    const { followUp } = await attendee.must('followup:create', signUp);
    // A replay is answered from the stored acknowledgement: the same, with nothing personal.
    expect(await attendee.must('followup:create', signUp)).toEqual({ followUp });
    expect(JSON.stringify(followUp)).not.toContain('Karoline');

    const before = await store.dump();
    expect(before).toContain('karoline.skovgaard@example.dk');
    for (const line of before.split('\n').filter((l) => l.includes(followUp.id)))
      expect(line, 'a record naming the sign-up').not.toContain(device);

    await attendee.must('followup:withdraw', { commandId: commandId(), followUpId: followUp.id });
    const after = await store.dump();
    for (const personal of ['Karoline', 'Skovgaard', 'karoline.skovgaard@example.dk', '4520304050'])
      expect(after).not.toContain(personal);
    expect(after).toContain(followUp.id);
  });

  it('[F8] a sign-up is deleted entirely once its deletion date is due, and leaves the receipt', async () => {
    const { session } = await t.createSession();
    const topic = await t.app.service.createTopic(
      { staff: t.organiserToken },
      { eventId: session.eventId, title: 'Havnebadet', contactName: 'Mette', retentionDays: 30 },
    );
    if (!topic.ok) throw new Error('setup');
    const attendee = await t.attendee();
    const { followUp } = await attendee.must('followup:create', {
      sessionId: session.id,
      commandId: commandId(),
      topicId: topic.data.id,
      name: 'Ib Hansen',
      phone: '+4511223344',
      hasConsented: true,
      ageBasis: 'self_13_or_older',
      consentVersion: CONSENT_VERSION,
    });
    const receipt = () => t.app.service.getReceipt({ device: attendee.deviceToken });
    // Not yet due: a sweep 29 days ahead keeps it.
    expect(await t.app.service.deleteDueFollowUps(29 * 86_400_000)).toBe(0);
    expect(await receipt()).toMatchObject({ ok: true, data: { followUps: [{}] } });
    expect(await t.app.service.deleteDueFollowUps(31 * 86_400_000)).toBe(1);
    expect(await t.store.getFollowUp(followUp.id)).toBeNull();
    expect(await receipt()).toMatchObject({ ok: true, data: { followUps: [] } });
    expect(await store.dump()).not.toContain('4511223344');
  });

  it('[F1] a follow-up for a topic of another event is refused as not found', async () => {
    const { session } = await t.createSession();
    const other = await t.createSession();
    const foreign = await t.app.service.createTopic(
      { staff: t.organiserToken },
      { eventId: other.session.eventId, title: 'Andet', contactName: 'Ole' },
    );
    if (!foreign.ok) throw new Error('setup');
    const attendee = await t.attendee();
    const result = await attendee.call('followup:create', {
      sessionId: session.id,
      commandId: commandId(),
      topicId: foreign.data.id,
      name: 'A',
      phone: '12345678',
      hasConsented: true,
      ageBasis: 'parent',
      consentVersion: CONSENT_VERSION,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
