/**
 * /j/123456: the short address the QR code encodes (short, so the code's modules stay large
 * and scan from the back of a tent). The code is resolved by `resolveJoinCode`
 * (`lib/server/join.ts`, where a stage's code will plug in) and the phone is sent on; an
 * unknown code shows the join form with the error.
 */
import { joinAction, joinByLink } from '$lib/server/join';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) =>
  joinByLink(locals.api, params.code);

export const actions = { join: joinAction } satisfies Actions;
