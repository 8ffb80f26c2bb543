/**
 * The wall's colour themes. A projector in daylight wants black on white; a dark hall or a
 * TV wants the dark theme; high contrast (white and yellow on black) is for a washed-out
 * projector or a reader with low vision. Each screen chooses with `?theme=` on its wall link,
 * and the choice is kept in a cookie, so the link can be opened again without it.
 */
export const WALL_THEMES = ['light', 'dark', 'contrast'] as const;
export type WallTheme = (typeof WALL_THEMES)[number];

export const DEFAULT_WALL_THEME: WallTheme = 'light';

/** Kept per browser (one projector, one choice) for every wall it opens. */
export const WALL_THEME_COOKIE = 'gt_wall_theme';

export function parseWallTheme(value: string | null | undefined): WallTheme | null {
  return (WALL_THEMES as readonly string[]).includes(value ?? '') ? (value as WallTheme) : null;
}
