import { getLocale } from '@gt/i18n/runtime';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
  // The device's own pseudonymous token, for the browser's socket handshake. The cookie stays
  // HttpOnly; this page is already the device's own (hooks mark it private, no-store).
  deviceToken: locals.creds.device ?? null,
  locale: getLocale(),
});
