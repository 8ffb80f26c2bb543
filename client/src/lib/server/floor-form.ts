/**
 * The floor-question form (`?/floor`) as a plain form post, shared by the console and the
 * outreach tablet: read the fields, send `post:create-from-room` with the staff credential,
 * and turn a refusal into a message next to its field with the typed text kept.
 */
import { ID_PATTERN } from '@gt/core';
import type { AppApi } from '@gt/protocol';
import { newCommandId } from '$lib/realtime/command-id';
import { postErrorText } from '$lib/ui/post-labels';

/** A refused floor question: the typed text comes back, with the reason next to its field. */
export interface FloorFailure {
  floor: { text: string; displayName: string; field: 'text' | 'displayName'; error: string };
}

export async function submitFloor(
  api: AppApi,
  staff: string,
  sessionId: string,
  form: FormData,
): Promise<{ ok: true } | { ok: false; status: number; failure: FloorFailure }> {
  const text = String(form.get('text') ?? '');
  const displayName = String(form.get('displayName') ?? '');
  const kind = form.get('kind') === 'idea' ? 'idea' : 'question';
  const commandIdRaw = String(form.get('commandId') ?? '');
  const commandId = ID_PATTERN.test(commandIdRaw) ? commandIdRaw : newCommandId();
  const result = await api.command({ staff }, 'post:create-from-room', {
    sessionId,
    commandId,
    kind,
    text,
    displayName: displayName.trim() ? displayName : null,
  });
  if (result.ok) return { ok: true };
  const { field, text: message } = postErrorText(result.error);
  return {
    ok: false,
    status: result.error.code === 'forbidden' ? 403 : 400,
    failure: { floor: { text, displayName, field, error: message } },
  };
}
