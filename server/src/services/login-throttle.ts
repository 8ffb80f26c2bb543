/**
 * [O6] Login throttling: wrong passwords are counted per account and address together, per
 * account and per address. Only wrong passwords count, so a right one is never slowed by
 * earlier right ones.
 *
 *  - Account and address together: a few wrong passwords in a row, then a wait. This is the
 *    limit a guesser meets first, and it does not lock the real owner out from another place
 *    (the venue's Wi-Fi, home).
 *  - The account from anywhere: a guesser spreading over many addresses is slowed too.
 *  - The address, for any account: one address trying many accounts. Generous, as a tent
 *    shares one address.
 *
 * No raw address is kept: the address part of a key is the hourly HMAC of rate-limits.ts
 * (T2). Counters live in this node's memory, like the other rate limits: with several nodes
 * a guesser spreading over them gets at most that many times the tries.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

interface Limit {
  /** Wrong passwords allowed within `duration` seconds; the next waits `duration`. */
  points: number;
  duration: number;
}

export const LOGIN_LIMITS = {
  accountAndAddress: { points: 5, duration: 15 * 60 },
  account: { points: 30, duration: 60 * 60 },
  address: { points: 100, duration: 60 * 60 },
} satisfies Record<string, Limit>;

export type LoginLimits = Record<keyof typeof LOGIN_LIMITS, Limit>;

const limiter = (limit: Limit, keyPrefix: string) =>
  // blockDuration: once over, the key waits the whole window from its last wrong try.
  new RateLimiterMemory({ ...limit, blockDuration: limit.duration, keyPrefix });

export class LoginThrottle {
  readonly #both: RateLimiterMemory;
  readonly #account: RateLimiterMemory;
  readonly #address: RateLimiterMemory;
  readonly #limits: LoginLimits;

  constructor(limits: LoginLimits = LOGIN_LIMITS) {
    this.#limits = limits;
    this.#both = limiter(limits.accountAndAddress, 'login:both');
    this.#account = limiter(limits.account, 'login:account');
    this.#address = limiter(limits.address, 'login:address');
  }

  /** How long this login must wait before it is tried, or 0. */
  async waitMs(email: string, addressKey: string | null): Promise<number> {
    const checks: [RateLimiterMemory, string, Limit][] = [
      [this.#account, email, this.#limits.account],
    ];
    if (addressKey)
      checks.push(
        [this.#both, `${email} ${addressKey}`, this.#limits.accountAndAddress],
        [this.#address, addressKey, this.#limits.address],
      );
    let wait = 0;
    for (const [rl, key, limit] of checks) {
      const state = await rl.get(key);
      if (state && state.consumedPoints >= limit.points) wait = Math.max(wait, state.msBeforeNext);
    }
    return wait;
  }

  /** Count a wrong password. */
  async failed(email: string, addressKey: string | null): Promise<void> {
    await consume(this.#account, email);
    if (addressKey) {
      await consume(this.#both, `${email} ${addressKey}`);
      await consume(this.#address, addressKey);
    }
  }

  /** A right password from this address clears its run of wrong ones. */
  async succeeded(email: string, addressKey: string | null): Promise<void> {
    if (addressKey) await this.#both.delete(`${email} ${addressKey}`);
  }
}

/** Count one; being over the limit already is what waitMs reports, not an error here. */
async function consume(rl: RateLimiterMemory, key: string): Promise<void> {
  try {
    await rl.consume(key);
  } catch (refusal) {
    if (!(refusal instanceof RateLimiterRes)) throw refusal;
  }
}
