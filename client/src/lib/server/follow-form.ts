/**
 * The follow form (`/s/<session>/topics`, `?/follow`) as a plain form post: read the fields,
 * check what can be checked here (every field at once, so a person fixes everything in one
 * go), send `followup:create` through AppApi with the device, and turn a refusal into
 * translated messages next to their fields, with everything typed kept.
 */
import { checkFollowUp, graphemeLength, ID_PATTERN, normaliseName } from '@gt/core';
import type { AgeBasis } from '@gt/core';
import type { AppApi, Credentials, ErrorBody } from '@gt/protocol';
import { m } from '@gt/i18n';
import { newCommandId } from '../realtime/command-id';

export type FollowField = 'name' | 'email' | 'phone' | 'contact' | 'age' | 'consent' | 'form';

export interface FollowValues {
  name: string;
  email: string;
  phone: string;
  ageBasis: AgeBasis | null;
  hasConsented: boolean;
}

export interface FollowFailure {
  action: 'follow';
  topicId: string;
  values: FollowValues;
  errors: Partial<Record<FollowField, string>>;
}

const AGE_BASES: readonly AgeBasis[] = ['self_13_or_older', 'parent'];
/** The same cap as the server's rule (core checkFollowUp). */
const MAX_FOLLOW_NAME = 100;

const text = (form: FormData, name: string, max: number) =>
  String(form.get(name) ?? '').slice(0, max);

export function readFollowForm(form: FormData): {
  topicId: string;
  commandId: string;
  consentVersion: string;
  values: FollowValues;
} {
  const age = String(form.get('ageBasis') ?? '');
  const commandId = String(form.get('commandId') ?? '');
  return {
    topicId: text(form, 'topicId', 80),
    // Not one we made (or none): a fresh one still makes this one sign-up.
    commandId: ID_PATTERN.test(commandId) ? commandId : newCommandId(),
    consentVersion: text(form, 'consentVersion', 40),
    values: {
      name: text(form, 'name', 200),
      email: text(form, 'email', 320),
      phone: text(form, 'phone', 40),
      ageBasis: (AGE_BASES as readonly string[]).includes(age) ? (age as AgeBasis) : null,
      // An unticked checkbox sends nothing at all.
      hasConsented: form.get('consent') === 'yes',
    },
  };
}

/** Every problem the page can see before asking the server, one message per field. */
export function checkFollowValues(values: FollowValues): FollowFailure['errors'] {
  const errors: FollowFailure['errors'] = {};
  const name = normaliseName(values.name);
  if (name === '' || graphemeLength(name) > MAX_FOLLOW_NAME) errors.name = m.topics_error_name();
  const contact = checkFollowUp({
    name: 'x',
    email: values.email,
    phone: values.phone,
    hasConsented: true,
    ageBasis: 'self_13_or_older',
  });
  if (!contact.ok) errors[contact.field] = fieldText(contact.field);
  if (!values.ageBasis) errors.age = m.topics_error_age();
  if (!values.hasConsented) errors.consent = m.topics_error_consent();
  return errors;
}

/** The fields the server names in `details.field` (core checkFollowUp). */
const SERVER_FIELDS: readonly FollowField[] = ['name', 'email', 'phone', 'contact', 'consent'];

function fieldText(field: FollowField): string {
  switch (field) {
    case 'name':
      return m.topics_error_name();
    case 'email':
      return m.topics_error_email();
    case 'phone':
      return m.topics_error_phone();
    case 'contact':
      return m.topics_error_contact();
    case 'consent':
      return m.topics_error_consent();
    default:
      return m.form_error_generic();
  }
}

/** A refusal from the server, next to the field it concerns. */
export function followErrorOf(error: ErrorBody): FollowFailure['errors'] {
  const details = error.details ?? {};
  switch (error.code) {
    case 'invalid_input':
      if (details.reason === 'consent_outdated')
        return { consent: m.topics_error_consent_outdated() };
      if (SERVER_FIELDS.includes(details.field as FollowField))
        return { [details.field as FollowField]: fieldText(details.field as FollowField) };
      return { form: m.form_error_generic() };
    case 'not_found':
      return { form: m.topics_error_not_found() };
    case 'rate_limited':
      return { form: m.attendee_error_rate_limited() };
    case 'forbidden':
      return { form: m.attendee_error_no_device() };
    default:
      return { form: m.form_error_generic() };
  }
}

export type FollowOutcome =
  { ok: true; topicId: string } | { ok: false; status: number; failure: FollowFailure };

export async function submitFollow(
  api: AppApi,
  creds: Credentials,
  sessionId: string,
  form: FormData,
): Promise<FollowOutcome> {
  const { topicId, commandId, consentVersion, values } = readFollowForm(form);
  const refuse = (status: number, errors: FollowFailure['errors']): FollowOutcome => ({
    ok: false,
    status,
    failure: { action: 'follow', topicId, values, errors },
  });
  if (!ID_PATTERN.test(topicId)) return refuse(400, { form: m.topics_error_not_found() });
  const errors = checkFollowValues(values);
  if (Object.keys(errors).length > 0 || !values.ageBasis) return refuse(400, errors);
  const result = await api.command(creds, 'followup:create', {
    sessionId,
    commandId,
    topicId,
    name: values.name,
    email: values.email.trim() ? values.email : null,
    phone: values.phone.trim() ? values.phone : null,
    hasConsented: values.hasConsented,
    ageBasis: values.ageBasis,
    consentVersion,
  });
  if (result.ok) return { ok: true, topicId };
  const status =
    result.error.code === 'internal' ? 503 : result.error.code === 'rate_limited' ? 429 : 400;
  return refuse(status, followErrorOf(result.error));
}
