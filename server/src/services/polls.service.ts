/**
 * Live polls (SPEC PL1-PL10): the moderator prepares, opens, closes, reopens a poll, shows or
 * hides its results and hides words of its cloud; a phone answers. Core decides; the store
 * keeps the session's polls by version (so two "open" presses never leave two polls open) and
 * the answers one per device beside them. Results are not stream entries: the publisher is
 * told a poll's results changed and sends them coalesced, like counts.
 */
import {
  answerAppends,
  answerView,
  arePublicResultsVisible,
  checkAnswer,
  closePoll,
  createPoll,
  emptyPollSet,
  findPoll,
  openPoll,
  pollAppends,
  pollView,
  publicTally,
  setResultsShown,
  setWordHidden,
  tallyPoll,
  updateDraft,
} from '@gt/core';
import type {
  LogAction,
  Poll,
  PollDraft,
  PollRefusal,
  PollResult,
  PollSet,
  PollSpec,
  Session,
  WordFilter,
} from '@gt/core';
import { fail, ok } from '@gt/protocol';
import type { CommandPayload, PollResultsWire, Result } from '@gt/protocol';
import type { PollStore } from '../store/store.js';
import type { CommandContext, Handlers, Shared } from './context.js';
import { newId } from './tokens.js';

/** How often a change is made again from the new polls after losing a race. */
const POLL_ATTEMPTS = 8;

/** [PL4] What a refusal says; the phone translates `details.reason`, this is for logs and tools. */
const REASONS: Record<PollRefusal['reason'], string> = {
  question_empty: 'the question is empty',
  question_too_long: 'the question is too long',
  too_few_options: 'a poll needs at least two options',
  too_many_options: 'a poll has at most ten options',
  option_empty: 'an option is empty',
  option_too_long: 'an option is too long',
  duplicate_option: 'the same option twice',
  bad_max_choices: 'the number of choices does not fit the options',
  bad_rank_count: 'the number to rank does not fit the options',
  bad_scale: 'a scale goes to 5 or to 10',
  label_too_long: 'a scale label is too long',
  bad_max_answers: 'a word poll takes 1 to 5 answers per person',
  too_many_polls: 'this session has as many polls as it can hold',
  no_such_poll: 'no such poll',
  not_a_draft: 'the poll is not a draft',
  not_open: 'the poll is not open',
  not_closed: 'the poll is not closed',
  another_open: 'another poll is open; close it first',
  not_a_word_poll: 'the poll is not a word poll',
  wrong_kind: 'the answer is not for this kind of poll',
  unknown_option: 'no such option',
  no_choice: 'choose at least one option',
  too_many_choices: 'too many choices',
  out_of_range: 'the value is outside the scale',
  too_many_answers: 'too many answers',
  answer_empty: 'the answer is empty',
  answer_too_long: 'the answer is too long',
  too_many_words: 'at most three words',
  only_stop_words: 'the answer has only little words',
};

function refusal(r: PollRefusal): Result<never> {
  return fail(r.code, REASONS[r.reason], { reason: r.reason });
}

type DraftInput = Pick<
  CommandPayload<'poll:create'>,
  'question' | 'spec' | 'isResultsHiddenUntilClose'
>;

/** Option ids are given here, in order: a draft's options are only ever replaced whole. */
function draftOf(input: DraftInput): PollDraft {
  const spec = input.spec;
  const options = (labels: string[]) => labels.map((label, i) => ({ id: `o${i + 1}`, label }));
  const made: PollSpec =
    spec.kind === 'scale' || spec.kind === 'words'
      ? spec
      : { ...spec, options: options(spec.options) };
  return {
    question: input.question,
    spec: made,
    isResultsHiddenUntilClose: input.isResultsHiddenUntilClose ?? false,
  };
}

type Decided = Extract<PollResult, { ok: true }>;

export interface PollsDeps {
  store: PollStore;
  shared: Shared;
  wordFilter: WordFilter;
}

export function createPolls({ store, shared, wordFilter }: PollsDeps) {
  const setOf = async (sessionId: Session['id']) =>
    (await store.getPolls(sessionId)) ?? emptyPollSet(sessionId);

  /**
   * Change the session's polls: read them, let core decide, store them at the version read
   * with their stream (and log) entries. Lost a race: made again from the new polls.
   */
  async function pollChange(
    ctx: CommandContext,
    p: { commandId: string },
    decide: (set: PollSet, now: number) => PollResult,
    log?: (result: Decided) => { action: LogAction; detail: string | null },
  ): Promise<Result<{ poll: ReturnType<typeof pollView> }>> {
    const sessionId = ctx.session!.id;
    for (let attempt = 0; attempt < POLL_ATTEMPTS; attempt++) {
      const before = await setOf(sessionId);
      const result = decide(before, shared.now());
      if (!result.ok) return refusal(result);
      const entry = log?.(result);
      const commit = await store.savePolls(
        shared.commandRef(ctx, p)!,
        result.set,
        before.version,
        pollAppends(before, result.set),
        { poll: pollView(result.poll) },
        entry ? [await shared.logEntry(ctx, entry.action, null, entry.detail)] : [],
      );
      if (commit.kind === 'conflict') continue;
      // Opening, closing and showing change who may see the results: send them again.
      if (commit.kind === 'committed')
        shared.publisher.pollResultsChanged(sessionId, result.poll.id);
      return shared.finish(commit);
    }
    return fail('conflict', 'the polls keep changing; please try again');
  }

  const logged = (action: LogAction, detail: (poll: Poll) => string) => (result: Decided) => ({
    action,
    detail: detail(result.poll),
  });
  const question = (poll: Poll) => poll.question;

  /** [PL10] One poll's results for staff, and for the public when they may see them. */
  async function resultsViews(
    sessionId: string,
    pollId: string,
  ): Promise<{ staff: PollResultsWire; public: PollResultsWire | null } | null> {
    const set = await store.getPolls(sessionId);
    const poll = set && findPoll(set, pollId);
    if (!poll || poll.status === 'draft') return null;
    const { answers, revision } = await store.listAnswers(sessionId, pollId);
    const tally = tallyPoll(poll, answers, wordFilter);
    return {
      staff: { pollId, revision, tally },
      public: arePublicResultsVisible(poll)
        ? { pollId, revision, tally: publicTally(tally) }
        : null,
    };
  }

  /** [PL10] The results a joining principal may see: every opened poll's for staff. */
  async function resultsFor(session: Session, isStaff: boolean): Promise<PollResultsWire[]> {
    const set = await store.getPolls(session.id);
    const polls = (set?.polls ?? []).filter((p) =>
      isStaff ? p.status !== 'draft' : arePublicResultsVisible(p),
    );
    const views = await Promise.all(polls.map((p) => resultsViews(session.id, p.id)));
    return views.flatMap((v) => {
      const view = v && (isStaff ? v.staff : v.public);
      return view ? [view] : [];
    });
  }

  const handlers = {
    'poll:create': (ctx, p) => {
      const id = newId('pol');
      return pollChange(ctx, p, (set, now) => createPoll(set, { id, draft: draftOf(p), now }));
    },

    'poll:update': (ctx, p) =>
      pollChange(ctx, p, (set, now) => updateDraft(set, p.pollId, draftOf(p), now)),

    'poll:open': (ctx, p) =>
      pollChange(
        ctx,
        p,
        (set, now) => openPoll(set, p.pollId, 'draft', now),
        logged('poll-open', question),
      ),

    'poll:close': (ctx, p) =>
      pollChange(
        ctx,
        p,
        (set, now) => closePoll(set, p.pollId, now),
        logged('poll-close', question),
      ),

    'poll:reopen': (ctx, p) =>
      pollChange(
        ctx,
        p,
        (set, now) => openPoll(set, p.pollId, 'closed', now),
        logged('poll-reopen', question),
      ),

    'poll:show-results': (ctx, p) =>
      pollChange(ctx, p, (set, now) => setResultsShown(set, p.pollId, true, now)),

    'poll:hide-results': (ctx, p) =>
      pollChange(ctx, p, (set, now) => setResultsShown(set, p.pollId, false, now)),

    'poll:hide-word': (ctx, p) =>
      pollChange(
        ctx,
        p,
        (set, now) => setWordHidden(set, p.pollId, p.word, p.isHidden, now),
        logged(p.isHidden ? 'poll-hide-word' : 'poll-show-word', () => p.word),
      ),

    // [PL6] One answer per device, replaced while the poll is open.
    'poll:answer': async (ctx, p) => {
      const sessionId = ctx.session!.id;
      for (let attempt = 0; attempt < POLL_ATTEMPTS; attempt++) {
        const set = await setOf(sessionId);
        const poll = findPoll(set, p.pollId);
        if (!poll) return fail('not_found', REASONS.no_such_poll, { reason: 'no_such_poll' });
        const checked = checkAnswer(poll, p.answer);
        if (!checked.ok) return refusal(checked);
        const answer = {
          pollId: poll.id,
          sessionId,
          deviceId: ctx.you.deviceId!,
          value: checked.value,
          answeredAt: shared.now(),
        };
        // Checked against this version of the polls: closed meanwhile, it is checked again.
        const commit = await store.saveAnswer(
          shared.commandRef(ctx, p)!,
          answer,
          set.version,
          answerAppends(answer),
          { answer: answerView(answer) },
        );
        if (commit.kind === 'conflict') continue;
        if (commit.kind === 'committed') shared.publisher.pollResultsChanged(sessionId, poll.id);
        return shared.finish(commit);
      }
      return fail('conflict', 'the polls keep changing; please try again');
    },

    'poll:my-answers': async (ctx) => {
      const answers = await store.listDeviceAnswers(ctx.session!.id, ctx.you.deviceId!);
      return ok({ answers: answers.map(answerView) });
    },
  } satisfies Partial<Handlers>;

  return { handlers, resultsViews, resultsFor };
}
