/**
 * Who may do what (SPEC R1-R4). A socket's principal is resolved per session: a device
 * token makes it an attendee; a moderator link for this session or an organiser login for
 * this session's organisation makes it staff. A person can be both (an organiser's laptop
 * also holds a device token).
 */
import type { DeviceId } from './ids.js';

export type StaffRole = 'moderator' | 'organiser';

export interface SessionPrincipal {
  deviceId: DeviceId | null;
  staff: StaffRole | null;
}

export type Capability =
  /** read the public stream and counts: anyone, even without a device (the wall). */
  | 'read'
  | 'post'
  | 'vote'
  | 'react'
  /** sign up to follow a topic (R3). */
  | 'follow'
  /** approve, hide, highlight ... and read the staff stream. */
  | 'moderate'
  /** change the session's settings. */
  | 'configure';

export const CAPABILITIES: readonly Capability[] = [
  'read',
  'post',
  'vote',
  'react',
  'follow',
  'moderate',
  'configure',
];

export function may(principal: SessionPrincipal, capability: Capability): boolean {
  switch (capability) {
    case 'read':
      return true;
    case 'post':
    case 'vote':
    case 'react':
    case 'follow':
      return principal.deviceId !== null;
    case 'moderate':
    case 'configure':
      return principal.staff !== null;
  }
}

/** The streams a principal may receive and catch up on (SPEC S1). */
export type StreamName = 'public' | 'staff' | 'private';

export function mayReadStream(principal: SessionPrincipal, stream: StreamName): boolean {
  if (stream === 'public') return true;
  if (stream === 'staff') return principal.staff !== null;
  return principal.deviceId !== null;
}
