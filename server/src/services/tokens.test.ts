import { describe, it, expect } from 'vitest';
import { createHmac } from 'node:crypto';
import { TokenSigner } from './tokens.js';
import type { Claims } from './tokens.js';

const SECRET = 'a-secret-key-of-at-least-32-characters!';
const NOW = Date.UTC(2026, 7, 21, 18, 0, 0);
const signer = new TokenSigner(SECRET);

const CLAIMS: Record<string, Claims> = {
  device: { k: 'd', id: 'dev_phone0001' },
  'moderator link': { k: 'm', s: 'ses_kulturnat', l: 'lnk_abcdefgh' },
  'organiser login': {
    k: 'o',
    org: 'org_gentofte',
    u: 'organiser@example.org',
    a: 'acc_organiser',
    v: 0,
    exp: NOW + 3600_000,
  },
};

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
/** A mac made the way the signer makes it, so a test can build a well-signed token around any body. */
const macFor = (secret: string, body: string) =>
  createHmac('sha256', createHmac('sha256', secret).update('gentofte-talks/tokens/v1').digest())
    .update(body)
    .digest('base64url');

describe('TokenSigner', () => {
  it.each(Object.entries(CLAIMS))('[T1] a %s token verifies to its claims', (_kind, claims) => {
    const token = signer.sign(claims);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(signer.verify(token, NOW)).toEqual(claims);
  });

  it('[T1] another signer with the same secret verifies the token (every node shares SECRET_KEY)', () => {
    const token = signer.sign(CLAIMS.device!);
    expect(new TokenSigner(SECRET).verify(token, NOW)).toEqual(CLAIMS.device);
  });

  it.each(Object.entries(CLAIMS))(
    '[T1] a %s token signed with another secret is refused',
    (_kind, claims) => {
      const forged = new TokenSigner('another-secret-key-of-32-characters-or-more').sign(claims);
      expect(signer.verify(forged, NOW)).toBeNull();
    },
  );

  it('[T1] a token whose body was changed is refused', () => {
    const token = signer.sign(CLAIMS.device!);
    const [, mac] = token.split('.');
    const tampered = `${b64({ k: 'd', id: 'dev_someoneelse' })}.${mac}`;
    expect(signer.verify(tampered, NOW)).toBeNull();
  });

  it('[T1] a moderator token moved to another session is refused', () => {
    const token = signer.sign({ k: 'm', s: 'ses_kulturnat', l: 'lnk_abcdefgh' });
    const [, mac] = token.split('.');
    expect(
      signer.verify(`${b64({ k: 'm', s: 'ses_othersession', l: 'lnk_abcdefgh' })}.${mac}`, NOW),
    ).toBeNull();
  });

  it('[T1] a token whose signature was changed is refused', () => {
    const token = signer.sign(CLAIMS.device!);
    const [body, mac] = token.split('.') as [string, string];
    const flipped = mac.slice(0, 5) + (mac[5] === 'A' ? 'B' : 'A') + mac.slice(6);
    expect(signer.verify(`${body}.${flipped}`, NOW)).toBeNull();
    expect(signer.verify(`${body}.${mac.slice(0, -2)}`, NOW)).toBeNull();
    expect(signer.verify(`${body}.${mac}AA`, NOW)).toBeNull();
    expect(signer.verify(`${body}.`, NOW)).toBeNull();
  });

  it('[T1] an organiser token is refused from its expiry on', () => {
    const token = signer.sign({
      k: 'o',
      org: 'org_gentofte',
      u: 'organiser@example.org',
      a: 'acc_organiser',
      v: 3,
      exp: NOW,
    });
    expect(signer.verify(token, NOW - 1)).not.toBeNull();
    expect(signer.verify(token, NOW)).toBeNull();
    expect(signer.verify(token, NOW + 1)).toBeNull();
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['empty', ''],
    ['no dot', 'eyJrIjoiZCIsImlkIjoiZGV2In0'],
    ['only a dot', '.'],
    ['an empty body', `.${macFor(SECRET, '')}`],
    ['huge', `${'a'.repeat(5000)}.${'b'.repeat(43)}`],
  ])('[T1] garbage (%s) is refused', (_name, token) => {
    expect(signer.verify(token, NOW)).toBeNull();
  });

  it('[T1] a huge token is refused even when it is well signed', () => {
    const small = b64({ k: 'd', id: 'x'.repeat(30) });
    expect(signer.verify(`${small}.${macFor(SECRET, small)}`, NOW)).toEqual({
      k: 'd',
      id: 'x'.repeat(30),
    });
    const body = b64({ k: 'd', id: 'x'.repeat(3000) });
    expect(signer.verify(`${body}.${macFor(SECRET, body)}`, NOW)).toBeNull();
  });

  it.each([
    ['a body that is not JSON', b64('not json {')],
    ['JSON that is not an object', b64(42)],
    ['an unknown kind', b64({ k: 'x', id: 'dev_phone0001' })],
    ['a device claim without an id', b64({ k: 'd' })],
    [
      'an organiser claim without an expiry',
      b64({ k: 'o', org: 'org_gentofte', u: 'organiser@example.org', a: 'acc_1', v: 0 }),
    ],
    [
      '[O4] an organiser claim of a release before roles (no account, no token version)',
      b64({ k: 'o', org: 'org_gentofte', u: 'organiser@example.org', exp: NOW + 1e6 }),
    ],
    [
      'an organiser claim with a string expiry',
      b64({
        k: 'o',
        org: 'org_gentofte',
        u: 'organiser@example.org',
        a: 'acc_1',
        v: 0,
        exp: String(NOW + 1e6),
      }),
    ],
  ])('[T1] a well-signed token with %s is refused', (_name, body) => {
    const mac = macFor(SECRET, body);
    // The mac is right: only the body makes the token invalid.
    expect(
      signer.verify(
        `${b64({ k: 'd', id: 'dev_phone0001' })}.${macFor(SECRET, b64({ k: 'd', id: 'dev_phone0001' }))}`,
        NOW,
      ),
    ).not.toBeNull();
    expect(signer.verify(`${body}.${mac}`, NOW)).toBeNull();
  });
});
