/** The roles as the organiser page names and explains them (SPEC O2). */
import type { MemberRole } from '@gt/core';
import { m } from '@gt/i18n';

const NAMES: Record<MemberRole, () => string> = {
  admin: () => m.role_admin(),
  organiser: () => m.role_organiser(),
  viewer: () => m.role_viewer(),
};

const HINTS: Record<MemberRole, () => string> = {
  admin: () => m.role_admin_hint(),
  organiser: () => m.role_organiser_hint(),
  viewer: () => m.role_viewer_hint(),
};

export const roleName = (role: MemberRole) => NAMES[role]();
export const roleHint = (role: MemberRole) => HINTS[role]();
