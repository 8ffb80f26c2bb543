import { getLocale } from '@gt/i18n/runtime';

/**
 * A day as people write it ("30. november 2026", "30 November 2026"). One time zone for the
 * server and the browser, so the hydrated text equals the rendered one.
 */
export function formatDay(ms: number): string {
  return new Intl.DateTimeFormat(getLocale() === 'da' ? 'da-DK' : 'en-GB', {
    dateStyle: 'long',
    timeZone: 'Europe/Copenhagen',
  }).format(ms);
}
