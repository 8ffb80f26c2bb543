/**
 * The console's settings form, read the same way by the live console (over the socket) and
 * by the no-JavaScript form action: field names to a `session:configure` change, and the
 * checks the server makes (core's `checkPanel`, the rotation's range), so an error shows next
 * to its field before anything is sent. Pure; unit-tested in settings-form.test.ts.
 */
import {
  checkPanel,
  MAX_ROTATION_SECONDS,
  MIN_ROTATION_SECONDS,
  WALL_LANGUAGES,
  WALL_MODES,
} from '@gt/core';
import type { PanelMember, SessionSettings, WallLanguage, WallMode } from '@gt/core';
import { m } from '@gt/i18n';

/** The settings this form changes (the organiser sets the rest: length, reaction set). */
export type ConsoleSettings = Pick<
  SessionSettings,
  | 'isOpen'
  | 'moderation'
  | 'hideVotes'
  | 'wallMode'
  | 'reactionsPaused'
  | 'rotationSeconds'
  | 'wallLanguage'
  | 'showParticipantCount'
  | 'panel'
>;

/** An error for one field: `rotationSeconds`, `panel`, `panel.2.name`, `panel.2.party`. */
export interface SettingsError {
  field: string;
  text: string;
}

type FormLike = Pick<FormData, 'get' | 'getAll'>;

/**
 * What the form held, as typed: a refused no-JavaScript post renders the form from these, so
 * nothing typed is lost (the rotation stays the text it was).
 */
export interface SettingsValues extends Omit<ConsoleSettings, 'rotationSeconds'> {
  rotationText: string;
}

const oneOf = <T extends string>(values: readonly T[], value: unknown, fallback: T): T =>
  (values as readonly unknown[]).includes(value) ? (value as T) : fallback;

/**
 * Read the form. Panel rows are `panelId`, `panelName`, `panelParty` in order; a row whose
 * name and party are both blank is an empty row left over and is dropped.
 */
export function settingsFromForm(
  form: FormLike,
  current: Pick<SessionSettings, 'wallMode' | 'wallLanguage'>,
):
  | { ok: true; settings: ConsoleSettings }
  | { ok: false; error: SettingsError; values: SettingsValues } {
  const values = valuesOf(form, current);
  const rotationText = values.rotationText.trim();
  const rotationSeconds = Number(rotationText);
  if (
    !/^\d+$/.test(rotationText) ||
    rotationSeconds < MIN_ROTATION_SECONDS ||
    rotationSeconds > MAX_ROTATION_SECONDS
  )
    return {
      ok: false,
      error: { field: 'rotationSeconds', text: m.moderator_setting_rotation_error() },
      values,
    };

  // Blank rows are rows left over; the check numbers the rows sent, the form shows them all.
  const kept = values.panel
    .map((row, index) => ({ row, index }))
    .filter(({ row }) => row.name.trim() !== '' || row.party.trim() !== '');
  const panel = checkPanel(kept.map(({ row }) => row));
  if (!panel.ok) {
    const field = panel.field.replace(
      /^panel\.(\d+)\./,
      (_, i: string) => `panel.${kept[Number(i)]?.index ?? i}.`,
    );
    return { ok: false, error: panelErrorOf(field, panel.reason, panel.max), values };
  }
  const { rotationText: _rotationText, ...rest } = values;
  return { ok: true, settings: { ...rest, rotationSeconds, panel: panel.panel } };
}

/** Read every field as it was typed. */
export function valuesOf(
  form: FormLike,
  current: Pick<SessionSettings, 'wallMode' | 'wallLanguage'>,
): SettingsValues {
  const ids = form.getAll('panelId').map(String);
  const names = form.getAll('panelName').map(String);
  const parties = form.getAll('panelParty').map(String);
  const panel: PanelMember[] = ids.map((id, i) => ({
    id,
    name: names[i] ?? '',
    party: parties[i] ?? '',
  }));
  return {
    isOpen: form.get('isOpen') === 'on',
    moderation: form.get('moderation') === 'pre' ? 'pre' : 'post',
    hideVotes: form.get('hideVotes') === 'on',
    wallMode: oneOf<WallMode>(WALL_MODES, form.get('wallMode'), current.wallMode),
    reactionsPaused: form.get('reactionsPaused') === 'on',
    rotationText: String(form.get('rotationSeconds') ?? ''),
    wallLanguage: oneOf<WallLanguage>(
      WALL_LANGUAGES,
      form.get('wallLanguage'),
      current.wallLanguage,
    ),
    showParticipantCount: form.get('showParticipantCount') === 'on',
    panel,
  };
}

/**
 * The words for a refused panel, from the client's check or the server's `invalid_input`
 * details (`field`, `reason`, `max`); the field says which row. Rows are numbered among the
 * rows sent, which are the non-empty rows in the order shown.
 */
export function panelErrorOf(field: string, reason: string, max?: number): SettingsError {
  const text =
    reason === 'too_many'
      ? m.moderator_panel_error_too_many({ max: max ?? 12 })
      : reason === 'too_long'
        ? m.moderator_panel_error_too_long({ max: max ?? 80 })
        : reason === 'empty'
          ? m.moderator_panel_error_empty()
          : m.form_error_generic();
  return { field, text };
}
