/**
 * Wire shapes of live polls (SPEC PL1-PL10). Raw caps are guards against abuse; the grapheme
 * and word rules of @gt/core's poll.ts decide what a moderator may ask and a phone may answer.
 */
import { MAX_POLL_OPTIONS, MAX_WORD_ANSWERS, POLL_SCALES } from '@gt/core';
import type { PollAnswerView, PollTally, PollView } from '@gt/core';
import { z } from 'zod';

/** Generous raw caps (characters, before normalisation). */
const RAW_QUESTION_MAX = 1000;
const RAW_LABEL_MAX = 400;
const RAW_WORD_ANSWER_MAX = 200;

const optionSchema = z.strictObject({ id: z.string(), label: z.string() });
const scaleSchema = z.union(
  POLL_SCALES.map((n) => z.literal(n)) as [z.ZodLiteral<5>, z.ZodLiteral<10>],
);

export const pollSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('single'), options: z.array(optionSchema) }),
  z.strictObject({
    kind: z.literal('multiple'),
    options: z.array(optionSchema),
    maxChoices: z.number().int(),
  }),
  z.strictObject({
    kind: z.literal('scale'),
    max: scaleSchema,
    lowLabel: z.string(),
    highLabel: z.string(),
  }),
  z.strictObject({
    kind: z.literal('ranking'),
    options: z.array(optionSchema),
    rankCount: z.number().int(),
  }),
  z.strictObject({ kind: z.literal('words'), maxAnswers: z.number().int() }),
]);

/**
 * A poll as the moderator writes it: options are labels in order (the server gives them ids,
 * so two moderators never pick the same id).
 */
const optionLabels = z.array(z.string().max(RAW_LABEL_MAX)).max(MAX_POLL_OPTIONS + 10);
export const pollSpecInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('single'), options: optionLabels }),
  z.strictObject({
    kind: z.literal('multiple'),
    options: optionLabels,
    maxChoices: z.number().int(),
  }),
  z.strictObject({
    kind: z.literal('scale'),
    max: scaleSchema,
    lowLabel: z.string().max(RAW_LABEL_MAX),
    highLabel: z.string().max(RAW_LABEL_MAX),
  }),
  z.strictObject({
    kind: z.literal('ranking'),
    options: optionLabels,
    rankCount: z.number().int(),
  }),
  z.strictObject({ kind: z.literal('words'), maxAnswers: z.number().int() }),
]);

export const pollDraftInputShape = {
  question: z.string().max(RAW_QUESTION_MAX),
  spec: pollSpecInputSchema,
  /** [PL5] Hide the results from the public until the poll closes. */
  isResultsHiddenUntilClose: z.boolean().optional(),
};

export const pollViewSchema = z.strictObject({
  id: z.string(),
  question: z.string(),
  spec: pollSpecSchema,
  status: z.enum(['draft', 'open', 'closed']),
  isResultsHiddenUntilClose: z.boolean(),
  isResultsShown: z.boolean(),
  wordOverrides: z.record(z.string(), z.enum(['hidden', 'shown'])),
  createdAt: z.number(),
  updatedAt: z.number(),
});

export const pollAnswerValueSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('single'), optionId: z.string().max(100) }),
  z.strictObject({
    kind: z.literal('multiple'),
    optionIds: z.array(z.string().max(100)).max(MAX_POLL_OPTIONS + 10),
  }),
  z.strictObject({ kind: z.literal('scale'), value: z.number() }),
  z.strictObject({
    kind: z.literal('ranking'),
    optionIds: z.array(z.string().max(100)).max(MAX_POLL_OPTIONS + 10),
  }),
  z.strictObject({
    kind: z.literal('words'),
    entries: z.array(z.string().max(RAW_WORD_ANSWER_MAX)).max(MAX_WORD_ANSWERS + 5),
  }),
]);

export const pollAnswerViewSchema = z.strictObject({
  pollId: z.string(),
  value: pollAnswerValueSchema,
  answeredAt: z.number(),
});

const count = z.number().int().min(0);
export const pollTallySchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.enum(['single', 'multiple']),
    responses: count,
    options: z.array(z.strictObject({ optionId: z.string(), count, percent: count })),
  }),
  z.strictObject({
    kind: z.literal('scale'),
    responses: count,
    distribution: z.array(count),
    mean: z.number().nullable(),
  }),
  z.strictObject({
    kind: z.literal('ranking'),
    responses: count,
    options: z.array(
      z.strictObject({ optionId: z.string(), count, averagePosition: z.number().nullable() }),
    ),
  }),
  z.strictObject({
    kind: z.literal('words'),
    responses: count,
    words: z.array(
      z.strictObject({
        key: z.string(),
        word: z.string(),
        count,
        isHeld: z.boolean(),
        isShown: z.boolean(),
      }),
    ),
  }),
]);

/**
 * [PL10] A poll's results as one reader may see them. `revision` counts the answers written to
 * the poll when they were read: results from two nodes can arrive out of order, and a reader
 * keeps the one with the higher revision.
 */
export const pollResultsSchema = z.strictObject({
  pollId: z.string(),
  revision: count,
  tally: pollTallySchema,
});

export type PollResultsWire = z.output<typeof pollResultsSchema>;

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertTrue = <T extends true>(value: T) => value;
assertTrue<Equal<z.infer<typeof pollViewSchema>, PollView>>(true);
assertTrue<Equal<z.infer<typeof pollAnswerViewSchema>, PollAnswerView>>(true);
assertTrue<Equal<z.infer<typeof pollTallySchema>, PollTally>>(true);
