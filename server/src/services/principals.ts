/**
 * Who is acting: devices, staff and receipt links from their signed tokens, their standing in
 * one session [R1], and the organiser check, each written once.
 */
import { asId } from '@gt/core';
import type { DeviceId, OrgId, Session, SessionPrincipal } from '@gt/core';
import type { Credentials } from '@gt/protocol';
import type { LinkStore } from '../store/store.js';
import type { Principal } from './context.js';
import type { RateLimits } from './rate-limits.js';
import { newId } from './tokens.js';
import type { TokenSigner } from './tokens.js';

export interface Organiser {
  org: OrgId;
  user: string;
}

export class Principals {
  constructor(
    private readonly deps: {
      store: LinkStore;
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
   * [R1] A principal's standing in one session. A moderator link counts only while its
   * record exists and is not revoked [T5]: the signature alone proves it was issued, not that
   * it still stands.
   */
  async inSession(principal: Principal, session: Session): Promise<SessionPrincipal> {
    const staff = principal.staff;
    let role: SessionPrincipal['staff'] = null;
    if (staff?.k === 'o' && staff.org === session.orgId) role = 'organiser';
    else if (staff?.k === 'm' && staff.s === session.id) {
      const link = await this.deps.store.getModeratorLink(staff.l);
      if (link && link.revokedAt === null && link.sessionId === session.id) role = 'moderator';
    }
    return { deviceId: principal.deviceId, staff: role };
  }

  /** The organiser behind the credentials (a signed, unexpired login), or null. */
  organiser(creds: Credentials): Organiser | null {
    const staff = this.from(creds).staff;
    return staff?.k === 'o' ? { org: asId<OrgId>(staff.org), user: staff.u } : null;
  }
}
