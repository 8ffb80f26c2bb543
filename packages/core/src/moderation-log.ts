/**
 * The moderation log (SPEC ML1-ML4): every staff action that changes state, with when and who,
 * so a team of moderators (and the organiser afterwards) can see what happened to a question.
 * The store writes an entry in the same atomic step as the change it records.
 */
import type { SessionId } from './ids.js';

/** What a staff member did. New staff commands add their action here. */
export const LOG_ACTIONS = [
  'approve',
  'hide',
  'restore',
  'answer',
  'highlight',
  'unhighlight',
  'pin',
  'unpin',
  'edit',
  'configure',
  'create-from-room',
  'mic-call-next',
  'mic-move',
  'tag',
  'direct',
  'to-topic',
  'merge',
  'reopen',
  'unapprove',
  'promise',
  'unpromise',
  'poll-open',
  'poll-close',
  'poll-reopen',
  'poll-hide-word',
  'poll-show-word',
] as const;
export type LogAction = (typeof LOG_ACTIONS)[number];

/** An entry as the service makes it; the store numbers it. */
export interface NewLogEntry {
  id: string;
  sessionId: SessionId;
  at: number;
  /** The moderator link's label, or the organiser's login name. */
  actor: string;
  action: LogAction;
  postId: string | null;
  /**
   * What a person needs to read the entry: the hide reason, the replaced wording of an edit,
   * the changed settings of a configure (`hideVotes: true, wallMode: "fresh"`); null otherwise.
   */
  detail: string | null;
}

/** A stored entry: `seq` numbers a session's log 1, 2, 3 ... in the order of the changes. */
export interface LogEntry extends NewLogEntry {
  seq: number;
}

export type LogEntryView = Omit<LogEntry, 'sessionId'>;

export function logEntryView(entry: LogEntry): LogEntryView {
  const { sessionId: _session, ...view } = entry;
  return view;
}

/** The changed settings of a configure, as one readable line. */
export function describeSettingsChange(change: Record<string, unknown>): string {
  return Object.entries(change)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
    .join(', ');
}
