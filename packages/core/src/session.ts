import type { EventId, OrgId, SessionId } from './ids.js';
import { DEFAULT_MAX_POST_LENGTH, graphemeLength, normaliseName } from './text.js';

export type ModerationMode = 'pre' | 'post';

export const REACTIONS = ['applause', 'heart', 'agree', 'disagree', 'question', 'laugh'] as const;
export type Reaction = (typeof REACTIONS)[number];

/**
 * What the wall lists besides the highlighted post [SC1]: 'highlight' nothing else, 'top' the
 * most-voted, 'fresh' the fresh-voices rotation (K5), 'pinned' only pinned posts.
 */
export const WALL_MODES = ['highlight', 'top', 'fresh', 'pinned'] as const;
export type WallMode = (typeof WALL_MODES)[number];

/** The moderator's emergency keys for the wall [SC1]: freeze what it shows, or show only the join QR. */
export const WALL_OVERRIDES = ['none', 'freeze', 'qr'] as const;
export type WallOverride = (typeof WALL_OVERRIDES)[number];

export const WALL_LANGUAGES = ['da', 'en'] as const;
export type WallLanguage = (typeof WALL_LANGUAGES)[number];

/** A politician (or other guest) on the session's panel, named on the wall. */
export interface PanelMember {
  id: string;
  name: string;
  /** Party or role, e.g. "Venstre" or "Formand for Kultur- og Fritidsudvalget". */
  party: string;
}

export const MAX_PANEL_MEMBERS = 12;
export const MAX_PANEL_NAME_LENGTH = 80;
export const MAX_PANEL_PARTY_LENGTH = 40;
export const MIN_ROTATION_SECONDS = 4;
export const MAX_ROTATION_SECONDS = 60;

export interface SessionSettings {
  /** pre: every post waits for a moderator; post: posts are visible at once. */
  moderation: ModerationMode;
  /** Closed sessions take no new posts, votes or reactions; reading goes on. */
  isOpen: boolean;
  /** Hide vote counts from attendees and the wall (DESIGN: likes must not sweep ideas away). */
  hideVotes: boolean;
  maxLength: number;
  reactions: Reaction[];
  wallMode: WallMode;
  wallOverride: WallOverride;
  /** [SC4] reaction:send is refused while paused; reactions already counted stay. */
  reactionsPaused: boolean;
  /** How often the wall's rotation turns, 4-60 s. */
  rotationSeconds: number;
  wallLanguage: WallLanguage;
  /** [SC5] The wall shows how many attendees are connected. */
  showParticipantCount: boolean;
  panel: PanelMember[];
}

export const DEFAULT_SETTINGS: SessionSettings = {
  moderation: 'post',
  isOpen: true,
  hideVotes: false,
  maxLength: DEFAULT_MAX_POST_LENGTH,
  reactions: ['applause', 'heart', 'agree', 'disagree', 'question'],
  wallMode: 'top',
  wallOverride: 'none',
  reactionsPaused: false,
  rotationSeconds: 8,
  wallLanguage: 'da',
  showParticipantCount: false,
  panel: [],
};

/**
 * [SC2] A session as stored, with every setting present: rows written before a setting existed
 * read with its default, so a store never hands out a session the wire schema would refuse.
 */
export function withSettingsDefaults(session: Session): Session {
  const settings = session.settings as Partial<SessionSettings>;
  const missing = (Object.keys(DEFAULT_SETTINGS) as (keyof SessionSettings)[]).some(
    (key) => settings[key] === undefined,
  );
  if (!missing) return session;
  // The default arrays are copied, never shared between sessions.
  const defaults = {
    ...DEFAULT_SETTINGS,
    reactions: [...DEFAULT_SETTINGS.reactions],
    panel: [],
  };
  return { ...session, settings: { ...defaults, ...settings } };
}

export type PanelCheck =
  | { ok: true; panel: PanelMember[] }
  | {
      ok: false;
      /** e.g. `panel.2.name`, for the message next to the field. */
      field: string;
      reason: 'empty' | 'too_long' | 'too_many' | 'duplicate_id';
      max?: number;
    };

/**
 * [SC3] A panel of at most 12 members; each name 1-80 and each party 0-40 graphemes after
 * normalisation (one line each); member ids unique. Returns the normalised panel.
 */
export function checkPanel(panel: readonly PanelMember[]): PanelCheck {
  if (panel.length > MAX_PANEL_MEMBERS)
    return { ok: false, field: 'panel', reason: 'too_many', max: MAX_PANEL_MEMBERS };
  const ids = new Set<string>();
  const out: PanelMember[] = [];
  for (const [i, member] of panel.entries()) {
    if (ids.has(member.id)) return { ok: false, field: `panel.${i}.id`, reason: 'duplicate_id' };
    ids.add(member.id);
    const name = normaliseName(member.name);
    const party = normaliseName(member.party);
    if (name === '') return { ok: false, field: `panel.${i}.name`, reason: 'empty' };
    if (graphemeLength(name) > MAX_PANEL_NAME_LENGTH)
      return {
        ok: false,
        field: `panel.${i}.name`,
        reason: 'too_long',
        max: MAX_PANEL_NAME_LENGTH,
      };
    if (graphemeLength(party) > MAX_PANEL_PARTY_LENGTH)
      return {
        ok: false,
        field: `panel.${i}.party`,
        reason: 'too_long',
        max: MAX_PANEL_PARTY_LENGTH,
      };
    out.push({ id: member.id, name, party });
  }
  return { ok: true, panel: out };
}

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
