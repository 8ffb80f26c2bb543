import { describe, expect, it } from 'vitest';
import { m } from '@gt/i18n';
import { loginErrorText, statusOf } from './people-forms';

describe('[O6] what a refused login says', () => {
  it('a throttled login says how many minutes to wait, from the details', () => {
    const error = {
      code: 'rate_limited' as const,
      message: 'too many wrong passwords; try again in 7 minutes',
      details: { retryAfterMs: 400_000, retryAfterMinutes: 7 },
    };
    expect(loginErrorText(error)).toBe(m.login_error_throttled({ minutes: 7 }));
    expect(statusOf(error)).toBe(429);
  });

  it('a wrong password says so, and a busy server asks to try again', () => {
    expect(loginErrorText({ code: 'forbidden', message: 'wrong e-mail or password' })).toBe(
      m.login_error_wrong(),
    );
    expect(loginErrorText({ code: 'internal', message: 'down' })).toBe(m.form_error_generic());
    expect(statusOf({ code: 'internal', message: 'down' })).toBe(503);
    expect(statusOf({ code: 'invalid_input', message: 'short' })).toBe(400);
  });
});
