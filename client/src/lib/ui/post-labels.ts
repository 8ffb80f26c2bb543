/**
 * The words around a post, shared by the phone, the console and the wall: its kind, its
 * author, its votes, and why a post was refused, all in the page's language.
 */
import { MAX_NAME_LENGTH } from '@gt/core';
import type { PostKind, PostView } from '@gt/core';
import { m } from '@gt/i18n';
import type { Locale } from '@gt/i18n/runtime';

/** The page's language unless a screen speaks another (the wall: the session's wall language). */
type In = { locale?: Locale };

export const kindName = (kind: PostKind, options: In = {}): string =>
  kind === 'idea' ? m.attendee_kind_idea({}, options) : m.attendee_kind_question({}, options);

/** Posts are anonymous unless their author gave a name (SPEC P6). */
export const authorName = (displayName: string | null, options: In = {}): string =>
  displayName ?? m.attendee_anonymous({}, options);

/** What `postStatusText` reads of a post (a wire post, or the receipt's). */
export type StatusOf = Pick<PostView, 'status' | 'isHighlighted' | 'hideReason'> & {
  mergedInto: string | null;
  /** [M14] Missing from updates stored before promises existed: read as none. */
  followUpPromisedBy?: { name: string } | null;
};

/**
 * Where an attendee's own post stands: the phone's "my posts" and the receipt say the same.
 * On the wall now says the most while it lasts; then a panel member's promise to follow it up
 * [M14] says more than "visible" or "answered" (a promise is made about a question heard).
 */
export function postStatusText(post: StatusOf, options: In = {}): string {
  const promised = post.followUpPromisedBy ?? null;
  switch (post.status) {
    case 'pending':
      return m.attendee_status_pending({}, options);
    case 'visible':
      if (post.isHighlighted) return m.attendee_status_on_wall({}, options);
      return promised
        ? m.attendee_status_follow_up_promised({ name: promised.name }, options)
        : m.attendee_status_visible({}, options);
    case 'answered':
      return promised
        ? m.attendee_status_follow_up_promised({ name: promised.name }, options)
        : m.attendee_status_answered({}, options);
    case 'hidden':
      // [M13] A merged duplicate: its votes and voice count for the other question.
      if (post.mergedInto) return m.attendee_status_merged({}, options);
      return post.hideReason
        ? m.attendee_status_hidden_reason({ reason: post.hideReason }, options)
        : m.attendee_status_hidden({}, options);
  }
}

export const votesText = (count: number): string =>
  count === 1 ? m.attendee_votes_one() : m.attendee_votes({ count });

/** A refused `post:create` (from the socket or the form action), or null when it worked. */
export interface PostErrorText {
  field: 'text' | 'displayName';
  text: string;
}

/** What a person should read when a post was refused, and next to which field. */
export function postErrorText(error: {
  code: string;
  details?: Record<string, unknown>;
}): PostErrorText {
  const details = error.details ?? {};
  switch (error.code) {
    case 'invalid_input':
      if (details.field === 'displayName')
        return {
          field: 'displayName',
          text: m.attendee_error_name_too_long({ max: MAX_NAME_LENGTH }),
        };
      if (details.reason === 'empty') return { field: 'text', text: m.attendee_error_empty() };
      return {
        field: 'text',
        text:
          typeof details.max === 'number'
            ? m.attendee_error_too_long({ max: details.max })
            : m.form_error_generic(),
      };
    case 'closed':
      return { field: 'text', text: m.attendee_error_closed() };
    case 'rate_limited':
      return { field: 'text', text: m.attendee_error_rate_limited() };
    case 'forbidden':
      return { field: 'text', text: m.attendee_error_no_device() };
    default:
      return { field: 'text', text: m.form_error_generic() };
  }
}
