/**
 * Who is acting: devices, staff and receipt links from their signed tokens, their standing in
 * one session [R1], and the organiser check, each written once.
 *
 * [O4] An organiser login's signature proves only that it was issued. Whether it still
 * stands (the account exists, its token version is the one signed, it is still a member)
 * and what its role may do is read from the store on every call, so a removed member or a
 * "sign out everywhere" takes effect at once, on every node.
 */
import { asId, roleMay } from '@gt/core';
import type { DeviceId, MemberRole, OrgAbility, OrgId, Session, SessionPrincipal } from '@gt/core';
import { fail, ok } from '@gt/protocol';
import type { Credentials, Result } from '@gt/protocol';
import type { LinkStore, MemberStore, OrganiserAccount } from '../store/store.js';
import type { Principal } from './context.js';
import type { RateLimits } from './rate-limits.js';
import { newId } from './tokens.js';
import type { TokenSigner } from './tokens.js';

/** A member of an organisation, as a standing login shows them. */
export interface Organiser {
  org: OrgId;
  /** The login name (e-mail) the moderation log shows. */
  user: string;
  accountId: string;
  role: MemberRole;
}

/** The refusal for a login that does not stand or may not do this. */
const NOT_ALLOWED = 'organisers of this organisation only';

export class Principals {
  constructor(
    private readonly deps: {
      store: LinkStore & Pick<MemberStore, 'getAccount' | 'getMembership'>;
      signer: TokenSigner;
      rateLimits: RateLimits;
    },
  ) {}

  /** [T2] The hourly HMAC of a client address that rate limits key on. */
  addressKey(address: string): string {
    return this.deps.rateLimits.addressKey(address);
  }

  registerDevice(): { deviceId: DeviceId; deviceToken: string } {
    const deviceId = asId<DeviceId>(newId('dev'));
    return { deviceId, deviceToken: this.deps.signer.sign({ k: 'd', id: deviceId }) };
  }

  from(creds: Credentials): Principal {
    const { signer } = this.deps;
    const device = signer.verify(creds.device);
    const staff = signer.verify(creds.staff);
    const receipt = signer.verify(creds.receipt);
    return {
      deviceId: device?.k === 'd' ? asId<DeviceId>(device.id) : null,
      staff: staff?.k === 'm' || staff?.k === 'o' ? staff : null,
      receiptDevice: receipt?.k === 'r' ? asId<DeviceId>(receipt.d) : null,
    };
  }

  /**
   * [O4] An organiser login for the account in one organisation: it carries the account and
   * its token version, so it stands only while both do (#standing).
   */
  loginToken(account: OrganiserAccount, orgId: OrgId, expiresAt: number): string {
    return this.deps.signer.sign({
      k: 'o',
      org: orgId,
      u: account.email,
      a: account.id,
      v: account.tokenVersion ?? 0,
      exp: expiresAt,
    });
  }

  /**
   * [R1] A principal's standing in one session. A moderator link counts only while its
   * record exists and is not revoked [T5]: the signature alone proves it was issued, not that
   * it still stands. An organiser login counts while it stands and its role may change
   * things [O2]: a viewer is no staff.
   */
  async inSession(principal: Principal, session: Session): Promise<SessionPrincipal> {
    const staff = principal.staff;
    let role: SessionPrincipal['staff'] = null;
    if (staff?.k === 'o' && staff.org === session.orgId) {
      const organiser = await this.#standing(staff);
      if (organiser && roleMay(organiser.role, 'change')) role = 'organiser';
    } else if (staff?.k === 'm' && staff.s === session.id) {
      const link = await this.deps.store.getModeratorLink(staff.l);
      if (link && link.revokedAt === null && link.sessionId === session.id) role = 'moderator';
    }
    return { deviceId: principal.deviceId, staff: role };
  }

  /**
   * [O2] [O4] The member behind the credentials, if their login stands and their role may
   * do `ability` in their organisation; `forbidden` for anyone else.
   */
  async member(creds: Credentials, ability: OrgAbility): Promise<Result<Organiser>> {
    const staff = this.from(creds).staff;
    if (staff?.k !== 'o') return fail('forbidden', NOT_ALLOWED);
    const organiser = await this.#standing(staff);
    return organiser && roleMay(organiser.role, ability)
      ? ok(organiser)
      : fail('forbidden', NOT_ALLOWED);
  }

  /** The login's member, or null when it no longer stands. */
  async #standing(staff: Extract<Principal['staff'], { k: 'o' }>): Promise<Organiser | null> {
    const { store } = this.deps;
    const [account, membership] = await Promise.all([
      store.getAccount(staff.a),
      store.getMembership(staff.org, staff.a),
    ]);
    if (!account || (account.tokenVersion ?? 0) !== staff.v || !membership) return null;
    return {
      org: asId<OrgId>(staff.org),
      user: staff.u,
      accountId: staff.a,
      role: membership.role,
    };
  }
}
