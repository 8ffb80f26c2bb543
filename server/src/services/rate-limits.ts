/**
 * Rate limits (SPEC T2). Per-device limits carry the real weight: a whole tent may share one
 * address behind the venue's Wi-Fi, so per-address limits are generous and only stop a
 * script. No raw address is kept: the key is an HMAC of the address with a key that changes
 * every hour, and the counters themselves expire within the hour.
 *
 * Counters live in this node's memory. Behind the proxy a device stays on one node, so its
 * limit holds; an address's traffic may spread over nodes, which only makes that limit
 * looser.
 */
import { createHmac } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Capability } from '@gt/core';

interface Limit {
  points: number;
  /** Seconds. */
  duration: number;
}

/**
 * What a limit counts: a capability, or `exposure` (a phone's first-screen reports, which
 * need only the read capability, so they cannot share its (absent) limit).
 */
export type LimitName = Capability | 'exposure';

/** Per device and per address, by capability. Only capabilities listed here are limited. */
export const LIMITS: Partial<Record<LimitName, { device: Limit; address: Limit }>> = {
  // A question every ten seconds on average, with room for a burst of five.
  post: { device: { points: 5, duration: 60 }, address: { points: 120, duration: 60 } },
  vote: { device: { points: 60, duration: 60 }, address: { points: 1_500, duration: 60 } },
  // Applause comes in bursts; three taps a second is already a drum roll.
  react: { device: { points: 30, duration: 10 }, address: { points: 1_000, duration: 10 } },
  follow: { device: { points: 10, duration: 3_600 }, address: { points: 300, duration: 3_600 } },
  // A list re-reported as it scrolls or changes: one every two seconds on average is plenty.
  exposure: { device: { points: 30, duration: 60 }, address: { points: 1_500, duration: 60 } },
};

export type LimitCheck = { ok: true } | { ok: false; retryAfterMs: number };

export class RateLimits {
  readonly #device = new Map<LimitName, RateLimiterMemory>();
  readonly #address = new Map<LimitName, RateLimiterMemory>();
  readonly #secret: Buffer;

  constructor(secret: string, limits = LIMITS) {
    this.#secret = createHmac('sha256', secret).update('gentofte-talks/address-key/v1').digest();
    for (const [capability, limit] of Object.entries(limits) as [
      LimitName,
      { device: Limit; address: Limit },
    ][]) {
      this.#device.set(
        capability,
        new RateLimiterMemory({ ...limit.device, keyPrefix: `d:${capability}` }),
      );
      this.#address.set(
        capability,
        new RateLimiterMemory({ ...limit.address, keyPrefix: `a:${capability}` }),
      );
    }
  }

  /**
   * The key an address is counted under this hour. The hourly key means yesterday's keys
   * cannot be matched to today's, and nothing here can be turned back into the address.
   */
  addressKey(address: string, now = Date.now()): string {
    const hour = Math.floor(now / 3_600_000);
    return createHmac('sha256', this.#secret)
      .update(`${hour}:${address}`)
      .digest('base64url')
      .slice(0, 22);
  }

  /** Take one point for this action; refused when either the device or the address is over. */
  async take(
    capability: LimitName,
    deviceKey: string | null,
    addressKey: string | null,
  ): Promise<LimitCheck> {
    const device = this.#device.get(capability);
    const address = this.#address.get(capability);
    try {
      if (device && deviceKey) await device.consume(deviceKey);
      if (address && addressKey) await address.consume(addressKey);
      return { ok: true };
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes)
        return { ok: false, retryAfterMs: refusal.msBeforeNext };
      throw refusal;
    }
  }
}
