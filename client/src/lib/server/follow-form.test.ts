import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONSENT_VERSION } from '@gt/core';
import { m } from '@gt/i18n';
import { describe, expect, it } from 'vitest';
import { checkFollowValues, followErrorOf, readFollowForm } from './follow-form';
import type { FollowValues } from './follow-form';

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};

const valid: FollowValues = {
  name: 'Karoline Skovgaard',
  email: 'karoline@example.dk',
  phone: '',
  ageBasis: 'self_13_or_older',
  hasConsented: true,
};

describe('the follow form as a plain form post', () => {
  it('[F6] reads an unticked box as no consent and an unknown age basis as none', () => {
    const read = readFollowForm(
      form({ topicId: 'top_abcdefgh', commandId: 'cmd_abcdefgh', name: 'A', ageBasis: 'adult' }),
    );
    expect(read.values).toMatchObject({ hasConsented: false, ageBasis: null });
    expect(read.commandId).toBe('cmd_abcdefgh');
    expect(readFollowForm(form({ commandId: 'not one of ours!' })).commandId).toMatch(
      /^c[0-9a-f]{32}$/,
    );
  });

  it('[F6] names every problem at once, each next to its field', () => {
    expect(checkFollowValues(valid)).toEqual({});
    expect(
      checkFollowValues({
        name: '  ',
        email: 'karoline@',
        phone: '',
        ageBasis: null,
        hasConsented: false,
      }),
    ).toEqual({
      name: m.topics_error_name(),
      email: m.topics_error_email(),
      age: m.topics_error_age(),
      consent: m.topics_error_consent(),
    });
    expect(checkFollowValues({ ...valid, email: '', phone: '' })).toEqual({
      contact: m.topics_error_contact(),
    });
    expect(checkFollowValues({ ...valid, email: '', phone: '12 34' })).toEqual({
      phone: m.topics_error_phone(),
    });
    expect(checkFollowValues({ ...valid, email: '', phone: '+45 12 34 56 78' })).toEqual({});
  });

  it("[F2] puts the server's refusals next to the field it names", () => {
    const refusal = (details: Record<string, unknown>) =>
      followErrorOf({ code: 'invalid_input', message: 'x', details });
    expect(refusal({ field: 'email' })).toEqual({ email: m.topics_error_email() });
    expect(refusal({ field: 'consent', reason: 'consent_outdated' })).toEqual({
      consent: m.topics_error_consent_outdated(),
    });
    expect(refusal({ field: 'somewhere' })).toEqual({ form: m.form_error_generic() });
    expect(followErrorOf({ code: 'not_found', message: 'x' })).toEqual({
      form: m.topics_error_not_found(),
    });
  });
});

describe('the consent text and its version', () => {
  it('[F3] changes only together with CONSENT_VERSION, which every sign-up stores', () => {
    // The stored version must say which words the person agreed to. When the consent
    // messages change, bump CONSENT_VERSION (packages/core/src/topic.ts) and record the new
    // digest here next to it.
    const DIGESTS: Record<string, string> = {
      '2026-11-30.1': 'bd1491b1e17b577e',
    };
    const texts = ['da', 'en'].flatMap((locale) => {
      const file = fileURLToPath(
        new URL(`../../../../packages/i18n/messages/${locale}.json`, import.meta.url),
      );
      const messages = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
      return [
        'topics_consent_label',
        'topics_consent_terms',
        'topics_age_self',
        'topics_age_parent',
      ].map((key) => `${locale}.${key}=${messages[key]}`);
    });
    const digest = createHash('sha256').update(texts.join('\n')).digest('hex').slice(0, 16);
    expect(digest, `consent text digest for version ${CONSENT_VERSION}`).toBe(
      DIGESTS[CONSENT_VERSION],
    );
  });
});
