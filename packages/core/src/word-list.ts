/**
 * The built-in list of the word filter (SPEC W5): common Danish and English swear words,
 * sexual insults and slurs.
 *
 * Written for Gentofte Talks by its contributors, not copied from another list, and licensed
 * under the project's licence, AGPL-3.0-or-later (see the root package.json), like the rest
 * of the code. It is deliberately small: a listed word HOLDS a post for the moderator, so every
 * entry delays real questions that contain it. Organisers extend it per deployment with
 * `createWordFilter(extraTerms)`.
 *
 * How to add an entry:
 * - Write it as people spell it; matching folds case, accents and æ/ø/å itself.
 * - Whole words only: "pik" never matches "Pikachu". List inflected forms you want caught
 *   ("luder", "ludere", "luderen"); compounds too ("røvhul"), because a listed word inside a
 *   longer word is deliberately not matched ("røverhistorie" is not "røv").
 * - Leave out words with an everyday innocent meaning, in either language: "slut" is Danish for
 *   "over", "negere" for "to negate", "knep" is also "a trick", "kuse" is "to bully", "dick"
 *   is a name, "cock" a rooster. List the unambiguous form or a phrase: "hold din kæft" (shut
 *   your mouth), not "kæft", and not "hold kæft", which is also everyday Danish for "wow".
 */

export const DANISH_TERMS: readonly string[] = [
  // swearing
  'lort',
  'lorten',
  'lortet',
  'pis',
  'kraftedeme',
  'kraftedme',
  'fuck',
  // rude phrases whose single words are everyday words
  'hold din kæft',
  'gå ad helvede til',
  'skrid ad helvede til',
  // sexual and insulting
  'pik',
  'pikhoved',
  'fisse',
  'kusse',
  'røv',
  'røvhul',
  'røvhuller',
  'kneppe',
  'knepper',
  'kneppet',
  'kælling',
  'kællinger',
  'luder',
  'ludere',
  'luderen',
  'hore',
  'horer',
  'horeunge',
  'møgkælling',
  // slurs (racist, homophobic, ableist)
  'neger',
  'negeren',
  'perker',
  'perkere',
  'perkeren',
  'bøsserøv',
  'spasser',
  'spassere',
];

export const ENGLISH_TERMS: readonly string[] = [
  // swearing
  'fuck',
  'fucks',
  'fucking',
  'fucked',
  'fucker',
  'fuckers',
  'motherfucker',
  'shit',
  'bullshit',
  'piss off',
  'go to hell',
  // sexual and insulting
  'cunt',
  'cunts',
  'bitch',
  'bitches',
  'asshole',
  'assholes',
  'arsehole',
  'dickhead',
  'wanker',
  'twat',
  'whore',
  'bastard',
  // slurs
  'nigger',
  'niggers',
  'faggot',
  'faggots',
  'retard',
  'retarded',
  'kike',
  'spic',
];
