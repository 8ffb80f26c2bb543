import { describe, expect, it } from 'vitest';
import { m } from '@gt/i18n';
import { settingsFromForm } from './settings-form.js';

function form(fields: [string, string][]) {
  const data = new FormData();
  for (const [name, value] of fields) data.append(name, value);
  return data;
}
const current = { wallMode: 'top', wallLanguage: 'da' } as const;
const base: [string, string][] = [
  ['isOpen', 'on'],
  ['moderation', 'pre'],
  ['wallMode', 'fresh'],
  ['rotationSeconds', '12'],
  ['wallLanguage', 'en'],
  ['showParticipantCount', 'on'],
];

describe('[SC1] [SC3] the console settings form', () => {
  it('reads every setting, and drops blank panel rows', () => {
    const read = settingsFromForm(
      form([
        ...base,
        ['panelId', 'pm_00000001'],
        ['panelName', ' Anna Hansen '],
        ['panelParty', 'Venstre'],
        ['panelId', 'pm_00000002'],
        ['panelName', ''],
        ['panelParty', ''],
      ]),
      current,
    );
    expect(read).toEqual({
      ok: true,
      settings: {
        isOpen: true,
        moderation: 'pre',
        hideVotes: false,
        wallMode: 'fresh',
        reactionsPaused: false,
        rotationSeconds: 12,
        wallLanguage: 'en',
        showParticipantCount: true,
        panel: [{ id: 'pm_00000001', name: 'Anna Hansen', party: 'Venstre' }],
      },
    });
  });

  it('refuses a rotation outside 4-60 seconds next to its field', () => {
    for (const value of ['3', '61', '7.5', 'ti', ''])
      expect(
        settingsFromForm(
          form([...base.filter(([n]) => n !== 'rotationSeconds'), ['rotationSeconds', value]]),
          current,
        ),
      ).toMatchObject({
        ok: false,
        error: { field: 'rotationSeconds', text: m.moderator_setting_rotation_error() },
        values: { rotationText: value, wallMode: 'fresh', wallLanguage: 'en' },
      });
  });

  it('names the row of a panel member without a name, counting the blank rows shown', () => {
    const read = settingsFromForm(
      form([
        ...base,
        ['panelId', 'pm_00000001'],
        ['panelName', ''],
        ['panelParty', ''],
        ['panelId', 'pm_00000002'],
        ['panelName', ' '],
        ['panelParty', 'Radikale'],
      ]),
      current,
    );
    expect(read).toMatchObject({
      ok: false,
      error: { field: 'panel.1.name', text: m.moderator_panel_error_empty() },
    });
    // Everything typed comes back, blank rows included, for the form to show again.
    expect(!read.ok && read.values.panel.map((row) => row.party)).toEqual(['', 'Radikale']);
  });

  it('keeps the current wall mode and language when the form sends something unknown', () => {
    const read = settingsFromForm(
      form([...base.filter(([n]) => n !== 'wallMode' && n !== 'wallLanguage'), ['wallMode', 'x']]),
      current,
    );
    expect(read.ok && read.settings.wallMode).toBe('top');
    expect(read.ok && read.settings.wallLanguage).toBe('da');
  });
});
