/**
 * [O3] Opening an invitation link: its token goes into an HttpOnly cookie that only the
 * organiser page receives, and the browser is sent on to `/organiser`, where the invitation is
 * taken up (lib/server/invitation-access.ts). As with receipt and moderator links, the secret
 * leaves the address bar, the history and screenshots at once. An endpoint, not a page, so the
 * router every page loads (the attendee's budget) does not grow by a route.
 */
import { redirect } from '@sveltejs/kit';
import { MAX_INVITATION_TOKEN_LENGTH, setInvitationCookie } from '$lib/server/invitation-access';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ params, cookies, url }) => {
  if (params.token.length <= MAX_INVITATION_TOKEN_LENGTH)
    setInvitationCookie(cookies, url, params.token);
  redirect(303, '/organiser');
};
