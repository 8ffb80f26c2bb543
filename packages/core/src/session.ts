import type { EventId, OrgId, SessionId } from './ids.js';
import { DEFAULT_MAX_POST_LENGTH } from './text.js';

export type ModerationMode = 'pre' | 'post';

export const REACTIONS = ['applause', 'heart', 'agree', 'disagree', 'question', 'laugh'] as const;
export type Reaction = (typeof REACTIONS)[number];

export interface SessionSettings {
  /** pre: every post waits for a moderator; post: posts are visible at once. */
  moderation: ModerationMode;
  /** Closed sessions take no new posts, votes or reactions; reading goes on. */
  isOpen: boolean;
  /** Hide vote counts from attendees and the wall (DESIGN: likes must not sweep ideas away). */
  hideVotes: boolean;
  maxLength: number;
  reactions: Reaction[];
}

export const DEFAULT_SETTINGS: SessionSettings = {
  moderation: 'post',
  isOpen: true,
  hideVotes: false,
  maxLength: DEFAULT_MAX_POST_LENGTH,
  reactions: ['applause', 'heart', 'agree', 'disagree', 'question'],
};

export interface Organisation {
  id: OrgId;
  name: string;
}

export interface Event {
  id: EventId;
  orgId: OrgId;
  title: string;
  createdAt: number;
}

export interface Session {
  id: SessionId;
  eventId: EventId;
  orgId: OrgId;
  title: string;
  /** Six digits, unique among sessions. */
  joinCode: string;
  settings: SessionSettings;
  /** Bumped on every settings change; carried by configure commands to detect races. */
  version: number;
  createdAt: number;
}

/** Merge a partial settings change; the caller has validated each field. */
export function applySettings(session: Session, change: Partial<SessionSettings>): Session {
  return { ...session, settings: { ...session.settings, ...change }, version: session.version + 1 };
}

/**
 * A per-session moderator link (SPEC T5). The link's token is signed; the record lets an
 * organiser label it (the moderation log names the label), revoke it and issue another.
 */
export interface ModeratorLink {
  id: string;
  sessionId: SessionId;
  label: string;
  createdAt: number;
  revokedAt: number | null;
}
