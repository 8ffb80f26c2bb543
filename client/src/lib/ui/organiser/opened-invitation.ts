/** [O3] What the organiser page shows of an invitation link opened in this browser. */
import type { InvitationLookup } from '@gt/protocol';

export type OpenedInvitation =
  { isOpen: true; invitation: InvitationLookup } | { isOpen: false; reason: string };
