/**
 * A valid payload for every command of the protocol table, built against a fresh session.
 * The type demands a factory per command, so a command added to the table does not compile
 * until the role matrix and the fuzz run can exercise it.
 */
import { CONSENT_VERSION } from '@gt/core';
import type { CommandName, CommandRequest, SessionWire } from '@gt/protocol';
import type { TestApp } from '../../testing/test-app.js';
import { commandId } from '../../testing/test-app.js';

export interface FactoryContext {
  t: TestApp;
  session: SessionWire;
  /** The device token of the principal that will send the command, when it has one. */
  actorDevice?: string | undefined;
}

/** A topic of the session's event, created by the organiser. */
export async function topicIn(ctx: FactoryContext): Promise<string> {
  const result = await ctx.t.app.service.createTopic(
    { staff: ctx.t.organiserToken },
    { eventId: ctx.session.eventId, title: 'Cykelstier', contactName: 'Mette, sparringsagent' },
  );
  if (!result.ok) throw new Error(`setup createTopic failed: ${result.error.message}`);
  return result.data.id;
}

const followUpPayload = async (ctx: FactoryContext) => ({
  sessionId: ctx.session.id,
  commandId: commandId(),
  topicId: await topicIn(ctx),
  name: 'Søren Ærø',
  email: 'soren@example.dk',
  hasConsented: true,
  ageBasis: 'self_13_or_older' as const,
  consentVersion: CONSENT_VERSION,
});

/** A member of the session's panel, added by the organiser. */
export async function panelMemberIn(ctx: FactoryContext): Promise<string> {
  const current = await ctx.t.app.service.getSession(ctx.session.id);
  const id = `pm_${commandId().slice(0, 12)}`;
  const result = await ctx.t.app.service.command(
    { staff: ctx.t.organiserToken },
    'session:configure',
    {
      sessionId: ctx.session.id,
      commandId: commandId(),
      version: current!.version,
      settings: {
        panel: [...current!.settings.panel, { id, name: 'Anne Åse', party: 'Socialdemokratiet' }],
      },
    },
  );
  if (!result.ok) throw new Error(`setup panel failed: ${result.error.message}`);
  return id;
}

/** A waiting microphone ticket of the given device, asked for through the service. */
export async function micTicketFor(ctx: FactoryContext, device: string): Promise<string> {
  const result = await ctx.t.app.service.command({ device }, 'mic:request', {
    sessionId: ctx.session.id,
    commandId: commandId(),
  });
  if (!result.ok) throw new Error(`setup mic:request failed: ${result.error.message}`);
  return result.data.ticket.ticketId;
}

/** [PL2] A poll of the session in the given state, set up through the service by the organiser. */
export async function pollIn(
  ctx: FactoryContext,
  state: 'draft' | 'open' | 'closed',
  kind: 'single' | 'words' = 'single',
): Promise<string> {
  const staff = { staff: ctx.t.organiserToken };
  const sessionId = ctx.session.id;
  const created = await ctx.t.app.service.command(staff, 'poll:create', {
    sessionId,
    commandId: commandId(),
    question: 'Hvad skal kommunen gøre først?',
    spec:
      kind === 'single'
        ? { kind: 'single', options: ['Cykelstier', 'Skoler', 'Bibliotek'] }
        : { kind: 'words', maxAnswers: 3 },
  });
  if (!created.ok) throw new Error(`setup poll:create failed: ${created.error.message}`);
  const pollId = created.data.poll.id;
  if (state !== 'draft') {
    // [PL2] One open poll per session: a session the factories used before may hold one.
    const joined = await ctx.t.app.service.command(staff, 'session:join', { sessionId });
    if (!joined.ok) throw new Error(`setup session:join failed: ${joined.error.message}`);
    for (const poll of joined.data.streams.staff?.polls ?? [])
      if (poll.status === 'open')
        await ctx.t.app.service.command(staff, 'poll:close', {
          sessionId,
          commandId: commandId(),
          pollId: poll.id,
        });
  }
  const steps =
    state === 'draft' ? [] : state === 'open' ? ['poll:open'] : ['poll:open', 'poll:close'];
  for (const name of steps as ('poll:open' | 'poll:close')[]) {
    const result = await ctx.t.app.service.command(staff, name, {
      sessionId,
      commandId: commandId(),
      pollId,
    });
    if (!result.ok) throw new Error(`setup ${name} failed: ${result.error.message}`);
  }
  return pollId;
}

const pollCommand = async (
  ctx: FactoryContext,
  state: 'draft' | 'open' | 'closed',
  kind: 'single' | 'words' = 'single',
) => ({
  sessionId: ctx.session.id,
  commandId: commandId(),
  pollId: await pollIn(ctx, state, kind),
});

type Factories = { [K in CommandName]: (ctx: FactoryContext) => Promise<CommandRequest<K>> };

type PostState = 'pending' | 'visible' | 'hidden' | 'highlighted' | 'pinned' | 'answered';

/** A post in the given state, set up through the service as an attendee and the organiser would. */
export async function postIn(
  ctx: FactoryContext,
  state: PostState,
): Promise<{ postId: string; version: number }> {
  const { t, session } = ctx;
  const device = t.app.service.registerDevice().deviceToken;
  const created = await t.app.service.command({ device }, 'post:create', {
    sessionId: session.id,
    commandId: commandId(),
    kind: 'question',
    text: `Et spørgsmål i tilstanden ${state}`,
  });
  if (!created.ok) throw new Error(`setup post:create failed: ${created.error.message}`);
  let { post } = created.data;
  const staff = { staff: t.organiserToken };
  const step = async (
    name: 'post:approve' | 'post:highlight' | 'post:pin' | 'post:hide' | 'post:answer',
  ) => {
    const payload = {
      sessionId: session.id,
      commandId: commandId(),
      postId: post.id,
      version: post.version,
    };
    const result = await t.app.service.command(
      staff,
      name,
      name === 'post:hide' ? { ...payload, reason: 'test' } : payload,
    );
    if (!result.ok) throw new Error(`setup ${name} failed: ${result.error.message}`);
    post = result.data.post;
  };
  const isPending = post.status === 'pending';
  if (state !== 'pending' && isPending) await step('post:approve');
  if (state === 'pending' && !isPending) throw new Error('session is not pre-moderated');
  if (state === 'hidden') await step('post:hide');
  if (state === 'highlighted') await step('post:highlight');
  if (state === 'pinned') await step('post:pin');
  if (state === 'answered') await step('post:answer');
  return { postId: post.id, version: post.version };
}

const moderation = async (ctx: FactoryContext, state: PostState) => ({
  sessionId: ctx.session.id,
  commandId: commandId(),
  ...(await postIn(ctx, state)),
});

export const commandFactories: Factories = {
  'device:register': async () => ({}),
  'session:join': async ({ session }) => ({ sessionId: session.id }),
  'session:leave': async ({ session }) => ({ sessionId: session.id }),
  'stream:catchup': async ({ session }) => ({
    sessionId: session.id,
    stream: 'public',
    afterSeq: 0,
  }),
  'post:create': async ({ session }) => ({
    sessionId: session.id,
    commandId: commandId(),
    kind: 'idea',
    text: 'Flere bænke ved stranden',
  }),
  'post:upvote': async (ctx) => ({
    sessionId: ctx.session.id,
    commandId: commandId(),
    postId: (await postIn(ctx, 'visible')).postId,
    isOn: true,
  }),
  'reaction:send': async ({ session }) => ({
    sessionId: session.id,
    commandId: commandId(),
    reaction: 'applause',
  }),
  'topic:list': async ({ session }) => ({ sessionId: session.id }),
  'followup:create': followUpPayload,
  'followup:withdraw': async (ctx) => {
    // The sender's own follow-up when it has a device; otherwise somebody else's.
    const device = ctx.actorDevice ?? ctx.t.app.service.registerDevice().deviceToken;
    const created = await ctx.t.app.service.command(
      { device },
      'followup:create',
      await followUpPayload(ctx),
    );
    if (!created.ok) throw new Error(`setup followup:create failed: ${created.error.message}`);
    return { commandId: commandId(), followUpId: created.data.followUp.id };
  },
  'receipt:link': async () => ({}),
  'post:create-from-room': async ({ session }) => ({
    sessionId: session.id,
    commandId: commandId(),
    kind: 'question',
    text: 'Spurgt fra salen: hvad med parkeringen?',
    displayName: 'Kort nr. 7',
  }),
  'post:edit': async (ctx) => ({
    ...(await moderation(ctx, 'visible')),
    text: 'Rettet tekst uden stavefejl',
  }),
  'post:approve': (ctx) => moderation(ctx, 'pending'),
  'post:hide': async (ctx) => ({ ...(await moderation(ctx, 'visible')), reason: 'Personangreb' }),
  'post:restore': (ctx) => moderation(ctx, 'hidden'),
  'post:answer': (ctx) => moderation(ctx, 'visible'),
  'post:highlight': (ctx) => moderation(ctx, 'visible'),
  'post:unhighlight': (ctx) => moderation(ctx, 'highlighted'),
  'post:pin': (ctx) => moderation(ctx, 'visible'),
  'post:unpin': (ctx) => moderation(ctx, 'pinned'),
  'post:reopen': (ctx) => moderation(ctx, 'answered'),
  'post:unapprove': (ctx) => moderation(ctx, 'visible'),
  'post:tag': async (ctx) => ({
    ...(await moderation(ctx, 'visible')),
    topicId: await topicIn(ctx),
  }),
  'post:direct': async (ctx) => ({
    ...(await moderation(ctx, 'visible')),
    panelMemberId: await panelMemberIn(ctx),
  }),
  'post:promise-follow-up': async (ctx) => ({
    ...(await moderation(ctx, 'answered')),
    panelMemberId: await panelMemberIn(ctx),
  }),
  'post:to-topic': async (ctx) => moderation(ctx, 'visible'),
  'post:merge': async (ctx) => {
    const target = await postIn(ctx, 'visible');
    const source = await postIn(ctx, 'visible');
    return {
      sessionId: ctx.session.id,
      commandId: commandId(),
      targetId: target.postId,
      targetVersion: target.version,
      sourceIds: [source.postId],
      sourceVersions: [source.version],
    };
  },
  'session:configure': async ({ session }) => ({
    sessionId: session.id,
    commandId: commandId(),
    version: session.version,
    settings: { hideVotes: true },
  }),
  'mic:request': async ({ session }) => ({
    sessionId: session.id,
    commandId: commandId(),
    name: 'Åse fra Hellerup',
  }),
  'mic:cancel': async (ctx) => {
    // The sender's own ticket when it has a device; otherwise somebody else's.
    const device = ctx.actorDevice ?? ctx.t.app.service.registerDevice().deviceToken;
    const ticket = await micTicketFor(ctx, device);
    return { sessionId: ctx.session.id, commandId: commandId(), ticketId: ticket };
  },
  'mic:call-next': async (ctx) => {
    await micTicketFor(ctx, ctx.t.app.service.registerDevice().deviceToken);
    return { sessionId: ctx.session.id, commandId: commandId() };
  },
  'mic:move': async (ctx) => {
    await micTicketFor(ctx, ctx.t.app.service.registerDevice().deviceToken);
    const ticketId = await micTicketFor(ctx, ctx.t.app.service.registerDevice().deviceToken);
    return { sessionId: ctx.session.id, commandId: commandId(), ticketId, position: 1 };
  },
  'exposure:report': async (ctx) => ({
    sessionId: ctx.session.id,
    postIds: [(await postIn(ctx, 'visible')).postId],
  }),
  'log:list': async ({ session }) => ({ sessionId: session.id, limit: 20 }),
  'poll:create': async ({ session }) => ({
    sessionId: session.id,
    commandId: commandId(),
    question: 'Hvor ofte cykler du?',
    spec: { kind: 'scale', max: 5, lowLabel: 'Aldrig', highLabel: 'Hver dag' },
    isResultsHiddenUntilClose: true,
  }),
  'poll:update': async (ctx) => ({
    ...(await pollCommand(ctx, 'draft')),
    question: 'Hvad skal kommunen gøre først?',
    spec: { kind: 'multiple', options: ['Cykelstier', 'Skoler', 'Bibliotek'], maxChoices: 2 },
  }),
  'poll:open': (ctx) => pollCommand(ctx, 'draft'),
  'poll:close': (ctx) => pollCommand(ctx, 'open'),
  'poll:reopen': (ctx) => pollCommand(ctx, 'closed'),
  'poll:show-results': (ctx) => pollCommand(ctx, 'open'),
  'poll:hide-results': (ctx) => pollCommand(ctx, 'closed'),
  'poll:hide-word': async (ctx) => ({
    ...(await pollCommand(ctx, 'open', 'words')),
    word: 'Cykelstier',
    isHidden: true,
  }),
  'poll:answer': async (ctx) => ({
    ...(await pollCommand(ctx, 'open')),
    answer: { kind: 'single', optionId: 'o2' },
  }),
  'poll:my-answers': async ({ session }) => ({ sessionId: session.id }),
};
