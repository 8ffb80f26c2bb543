/**
 * The moderator's poll draft form read into a `poll:create` / `poll:update` payload, the same
 * for the console's script and its no-JavaScript form action. It only shapes the fields: the
 * rules (lengths, counts, duplicates) are core's, checked by the server, whose refusal names
 * its reason (pollReasonText).
 */
import { POLL_KINDS, closePoll, openPoll, setResultsShown } from '@gt/core';
import type { PollKind, PollSet, PollView, SessionId } from '@gt/core';
import type { CommandRequest } from '@gt/protocol';

export type PollDraftInput = Pick<
  CommandRequest<'poll:create'>,
  'question' | 'spec' | 'isResultsHiddenUntilClose'
>;

const isPollKind = (value: unknown): value is PollKind =>
  (POLL_KINDS as readonly unknown[]).includes(value);

const text = (form: FormData, name: string) => String(form.get(name) ?? '');
/** A whole number from a field; NaN (refused by the server with its reason) when it is not. */
const whole = (form: FormData, name: string) => {
  const value = Number(text(form, name) || NaN);
  return Number.isInteger(value) ? value : NaN;
};

/** Options are typed one a line; blank lines are not options. */
export function optionLines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** The draft the form describes, or null when its kind is none of core's. */
export function draftFromForm(form: FormData): PollDraftInput | null {
  const kind = text(form, 'kind');
  if (!isPollKind(kind)) return null;
  const options = optionLines(text(form, 'options'));
  const spec: PollDraftInput['spec'] =
    kind === 'single'
      ? { kind, options }
      : kind === 'multiple'
        ? { kind, options, maxChoices: whole(form, 'maxChoices') }
        : kind === 'ranking'
          ? { kind, options, rankCount: whole(form, 'rankCount') }
          : kind === 'words'
            ? { kind, maxAnswers: whole(form, 'maxAnswers') }
            : {
                kind,
                max: text(form, 'scaleMax') === '10' ? 10 : 5,
                lowLabel: text(form, 'lowLabel'),
                highLabel: text(form, 'highLabel'),
              };
  return {
    question: text(form, 'question'),
    spec,
    isResultsHiddenUntilClose: form.get('isResultsHiddenUntilClose') === 'on',
  };
}

/** The form's fields as a poll fills them in (editing a draft), as strings. */
export function formValuesOf(poll: Pick<PollView, 'question' | 'spec'>): Record<string, string> {
  const { spec } = poll;
  return {
    question: poll.question,
    kind: spec.kind,
    options: 'options' in spec ? spec.options.map((o) => o.label).join('\n') : '',
    maxChoices: spec.kind === 'multiple' ? String(spec.maxChoices) : '2',
    rankCount: spec.kind === 'ranking' ? String(spec.rankCount) : '3',
    maxAnswers: spec.kind === 'words' ? String(spec.maxAnswers) : '3',
    scaleMax: spec.kind === 'scale' ? String(spec.max) : '5',
    lowLabel: spec.kind === 'scale' ? spec.lowLabel : '',
    highLabel: spec.kind === 'scale' ? spec.highLabel : '',
  };
}

/** The buttons a poll offers in its state (SPEC PL2, PL5). */
export type PollAction = 'open' | 'close' | 'reopen' | 'show-results' | 'hide-results';
export const POLL_ACTIONS = [
  'open',
  'close',
  'reopen',
  'show-results',
  'hide-results',
] as const satisfies readonly PollAction[];

/**
 * What core's rules let staff do with the poll now, among the session's polls: "open" only
 * with no other poll open, and so on. Asked of core rather than restated here.
 */
export function pollActionsOf(poll: PollView, polls: readonly PollView[]): PollAction[] {
  // The rules look at the polls only; the session's id is not theirs to check.
  const sessionId = '' as SessionId;
  const set: PollSet = { sessionId, version: 0, polls: polls.map((p) => ({ ...p, sessionId })) };
  const can: Record<PollAction, boolean> = {
    open: openPoll(set, poll.id, 'draft', 0).ok,
    close: closePoll(set, poll.id, 0).ok,
    reopen: openPoll(set, poll.id, 'closed', 0).ok,
    'show-results': !poll.isResultsShown && setResultsShown(set, poll.id, true, 0).ok,
    'hide-results': poll.isResultsShown && setResultsShown(set, poll.id, false, 0).ok,
  };
  return POLL_ACTIONS.filter((action) => can[action]);
}
