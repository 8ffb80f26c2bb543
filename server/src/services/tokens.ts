/**
 * Signed bearer tokens: device, moderator-link and organiser-login tokens are
 * `base64url(JSON).base64url(HMAC-SHA256)`, signed with SECRET_KEY so every node can verify
 * them without a lookup. A token proves what the server issued; nothing else is trusted.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

const claimsSchema = z.discriminatedUnion('k', [
  /** An anonymous attendee device. */
  z.object({ k: z.literal('d'), id: z.string() }),
  /** A per-session moderator link; `l` identifies the link so it can be revoked. */
  z.object({ k: z.literal('m'), s: z.string(), l: z.string() }),
  /**
   * An organiser login for an organisation, with an expiry (ms since epoch): `u` the login
   * name the moderation log shows, `a` the account and `v` its token version when signed
   * (SPEC O4: the token stands only while the account, its membership and version do).
   */
  z.object({
    k: z.literal('o'),
    org: z.string(),
    u: z.string(),
    a: z.string(),
    v: z.number().int().min(0),
    exp: z.number(),
  }),
  /** A receipt link: read a device's own posts and follow-ups, withdraw follow-ups; not post. */
  z.object({ k: z.literal('r'), d: z.string() }),
]);
export type Claims = z.infer<typeof claimsSchema>;

export class TokenSigner {
  readonly #key: Buffer;
  readonly #followKey: Buffer;

  constructor(secret: string) {
    // Derive a purpose-specific key so the same secret can sign other things (cookies) safely.
    this.#key = createHmac('sha256', secret).update('gentofte-talks/tokens/v1').digest();
    this.#followKey = createHmac('sha256', secret).update('gentofte-talks/follow-key/v1').digest();
  }

  /**
   * [F3] The key a device's follow-ups are stored under. It is derived from the device id with
   * a secret, so the store holds no link between follow-ups and the device's posts: only a
   * server holding SECRET_KEY can find a device's follow-ups, for that device's own receipt.
   */
  followKey(deviceId: string): string {
    return createHmac('sha256', this.#followKey).update(deviceId).digest('base64url');
  }

  sign(claims: Claims): string {
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${body}.${this.#mac(body)}`;
  }

  /** The claims of a valid token, or null for anything else (malformed, forged, expired). */
  verify(token: string | undefined | null, now = Date.now()): Claims | null {
    if (typeof token !== 'string' || token.length > 2048) return null;
    const dot = token.indexOf('.');
    if (dot <= 0) return null;
    const body = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.#mac(body), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let raw: unknown;
    try {
      raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    const parsed = claimsSchema.safeParse(raw);
    if (!parsed.success) return null;
    if (parsed.data.k === 'o' && parsed.data.exp <= now) return null;
    return parsed.data;
  }

  #mac(body: string): string {
    return createHmac('sha256', this.#key).update(body).digest('base64url');
  }
}

/** A random URL-safe id (96 bits by default): post ids, device ids, link ids. */
export function newId(prefix: string, bytes = 12): string {
  return `${prefix}_${randomBytes(bytes).toString('base64url')}`;
}
