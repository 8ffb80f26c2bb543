/**
 * Every request passes here before a load or an action runs:
 *
 * 1. the language: Paraglide reads the cookie (else Danish) for this request, and the
 *    server-rendered <html lang> gets it through app.html's placeholder;
 * 2. the application: `locals.api` is the AppApi. In production the Express server attached
 *    its in-process Application to the Node request (server/src/http/web.ts); under
 *    `npm run dev` there is no such request, and an HTTP implementation calls the API server;
 * 3. the credentials: the device cookie (issued here on the first visit) and the organiser
 *    cookie become `locals.creds`.
 */
import type { Handle, HandleServerError } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { env } from '$env/dynamic/private';
import type { AppApi } from '@gt/protocol';
import { paraglideMiddleware } from '@gt/i18n/server';
import { m } from '@gt/i18n';
import { createHttpAppApi } from '$lib/server/http-app-api';
import { DEVICE_COOKIE, STAFF_COOKIE, setDeviceCookie } from '$lib/server/cookies';

// Stateless (a base URL), so one per process is safe to share between requests.
let httpApi: AppApi | undefined;

const handleLocale: Handle = ({ event, resolve }) =>
  paraglideMiddleware(event.request, ({ request, locale }) => {
    event.request = request;
    return resolve(event, {
      transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale),
    });
  });

const handleApp: Handle = async ({ event, resolve }) => {
  const inProcess = event.platform?.req?.appApi;
  const api =
    inProcess ?? (httpApi ??= createHttpAppApi(env.GT_API_URL || 'http://127.0.0.1:3000'));
  event.locals.api = api;

  let device = event.cookies.get(DEVICE_COOKIE);
  if (!device) {
    const registered = await api.command({}, 'device:register', {});
    if (registered.ok) {
      device = registered.data.deviceToken;
      setDeviceCookie(event.cookies, event.url, device);
    } else {
      console.error(`device registration failed: ${registered.error.message}`);
    }
  }
  event.locals.creds = { device, staff: event.cookies.get(STAFF_COOKIE) };

  const response = await resolve(event);
  // Pages and their data carry this device's token: no shared cache may keep them.
  if (!response.headers.has('cache-control'))
    response.headers.set('cache-control', 'private, no-store');
  // The server's default is no-referrer, but under that policy browsers send `Origin: null`
  // with a form post, and SvelteKit's CSRF check then refuses every form (403). same-origin
  // keeps the point of no-referrer: no other site ever sees our URLs (moderator links carry
  // a token), while our own forms carry their real Origin.
  response.headers.set('referrer-policy', 'same-origin');
  return response;
};

export const handle = sequence(handleLocale, handleApp);

/** Unexpected errors are logged here and shown as a translated, generic message. */
export const handleError: HandleServerError = ({ error, status }) => {
  if (status !== 404) console.error(error);
  return { message: status === 404 ? m.error_not_found() : m.error_heading() };
};
