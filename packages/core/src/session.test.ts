import { describe, expect, it } from 'vitest';
import { asId } from './ids.js';
import type { EventId, OrgId, SessionId } from './ids.js';
import { DEFAULT_SETTINGS, checkPanel, withSettingsDefaults } from './session.js';
import type { Session, SessionSettings } from './session.js';

const session = (settings: Partial<SessionSettings>): Session => ({
  id: asId<SessionId>('ses_12345678'),
  eventId: asId<EventId>('evt_12345678'),
  orgId: asId<OrgId>('org_12345678'),
  title: 'Fremtidens bibliotek',
  joinCode: '123456',
  settings: settings as SessionSettings,
  version: 3,
  createdAt: 1,
});

describe('session settings', () => {
  it('[SC1] default to the top-votes wall, no override, reactions on, 8 s turns, Danish, no count, no panel', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({
      wallMode: 'top',
      wallOverride: 'none',
      reactionsPaused: false,
      rotationSeconds: 8,
      wallLanguage: 'da',
      showParticipantCount: false,
      panel: [],
    });
  });

  it('[SC2] a session stored before the wall settings existed reads with their defaults and keeps its own', () => {
    const old = session({
      moderation: 'pre',
      isOpen: false,
      hideVotes: true,
      maxLength: 500,
      reactions: ['heart'],
    });
    const read = withSettingsDefaults(old);
    expect(read.settings).toEqual({
      ...DEFAULT_SETTINGS,
      moderation: 'pre',
      isOpen: false,
      hideVotes: true,
      maxLength: 500,
      reactions: ['heart'],
    });
    expect(read.version).toBe(3);
    // The defaults are copied, never shared: changing one session's panel changes no other.
    read.settings.panel.push({ id: 'pm_1', name: 'A', party: 'B' });
    expect(DEFAULT_SETTINGS.panel).toEqual([]);
    const complete = session({ ...DEFAULT_SETTINGS, wallMode: 'fresh' });
    expect(withSettingsDefaults(complete)).toBe(complete);
  });

  it('[SC3] a panel keeps normalised names and parties, and refuses empty names, long texts, duplicates and a thirteenth member', () => {
    const ok = checkPanel([
      { id: 'pm_aaaaaaaa', name: '  Søren   Ærø ', party: 'Venstre\n' },
      { id: 'pm_bbbbbbbb', name: 'Anne Åse', party: '' },
    ]);
    expect(ok).toEqual({
      ok: true,
      panel: [
        { id: 'pm_aaaaaaaa', name: 'Søren Ærø', party: 'Venstre' },
        { id: 'pm_bbbbbbbb', name: 'Anne Åse', party: '' },
      ],
    });
    // 80 graphemes are fine (a flag is one), 81 are not.
    expect(checkPanel([{ id: 'x1', name: '🇩🇰'.repeat(80), party: 'å'.repeat(40) }]).ok).toBe(true);
    expect(checkPanel([{ id: 'x1', name: 'a'.repeat(81), party: '' }])).toEqual({
      ok: false,
      field: 'panel.0.name',
      reason: 'too_long',
      max: 80,
    });
    expect(checkPanel([{ id: 'x1', name: 'A', party: 'p'.repeat(41) }])).toMatchObject({
      field: 'panel.0.party',
      reason: 'too_long',
      max: 40,
    });
    expect(checkPanel([{ id: 'x1', name: '   ', party: 'V' }])).toMatchObject({
      field: 'panel.0.name',
      reason: 'empty',
    });
    expect(
      checkPanel([
        { id: 'x1', name: 'A', party: '' },
        { id: 'x1', name: 'B', party: '' },
      ]),
    ).toMatchObject({ field: 'panel.1.id', reason: 'duplicate_id' });
    const thirteen = Array.from({ length: 13 }, (_, i) => ({ id: `m${i}`, name: 'N', party: '' }));
    expect(checkPanel(thirteen)).toMatchObject({ field: 'panel', reason: 'too_many', max: 12 });
    expect(checkPanel(thirteen.slice(0, 12)).ok).toBe(true);
  });
});
