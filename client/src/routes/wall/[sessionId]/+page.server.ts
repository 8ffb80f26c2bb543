/**
 * The projector wall: read-only and public (SPEC R2). It joins with no credentials at all,
 * so it holds the public stream only, whatever cookies the projector's browser has.
 */
import { env } from '$env/dynamic/private';
import { joinForPage } from '$lib/server/session-load';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals, url }) => {
  const initial = await joinForPage(locals.api, {}, params.sessionId);
  return {
    sessionId: initial.session.id,
    initial,
    // The address people type: the one the QR code encodes (PUBLIC_URL; in production the
    // server also sets ORIGIN from it, which is this request's origin).
    publicUrl: (env.PUBLIC_URL || url.origin).replace(/\/+$/, ''),
  };
};
