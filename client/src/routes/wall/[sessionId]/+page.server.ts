/**
 * The projector wall: read-only and public (SPEC R2). It joins with no credentials at all,
 * so it holds the public stream only, whatever cookies the projector's browser has.
 *
 * `?theme=light|dark|contrast` chooses the colours for this screen (SPEC WL2); the choice is
 * kept in a cookie, so the plain wall link opens in the same theme next time.
 */
import { env } from '$env/dynamic/private';
import { joinForPage } from '$lib/server/session-load';
import { DEFAULT_WALL_THEME, parseWallTheme, WALL_THEME_COOKIE } from '$lib/ui/wall/theme';
import type { PageServerLoad } from './$types';

const YEAR_SECONDS = 365 * 24 * 3600;

export const load: PageServerLoad = async ({ params, locals, url, cookies }) => {
  const initial = await joinForPage(locals.api, {}, params.sessionId);
  const asked = parseWallTheme(url.searchParams.get('theme'));
  if (asked)
    cookies.set(WALL_THEME_COOKIE, asked, {
      path: '/wall',
      httpOnly: true,
      sameSite: 'lax',
      secure: url.protocol === 'https:',
      maxAge: YEAR_SECONDS,
    });
  return {
    sessionId: initial.session.id,
    initial,
    // The address people type: the one the QR code encodes (PUBLIC_URL; in production the
    // server also sets ORIGIN from it, which is this request's origin).
    publicUrl: (env.PUBLIC_URL || url.origin).replace(/\/+$/, ''),
    theme: asked ?? parseWallTheme(cookies.get(WALL_THEME_COOKIE)) ?? DEFAULT_WALL_THEME,
  };
};
