import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type LinkClaims,
  type LinkKeyring,
  readLinkToken,
  rotateKeyring,
  signLinkToken,
  storedKeyring,
} from '../../../../lambdas/domain/customer-pages/link-tokens.ts';

const now = new Date('2025-03-12T15:30:00.000Z');
const inAWeek = Math.floor(now.getTime() / 1000) + 7 * 86_400;

const keyring: LinkKeyring = { current: { kid: 'k2', secret: 's'.repeat(40) } };

const aClaim = (overrides: Partial<LinkClaims> = {}): LinkClaims => ({
  linkId: 'lnk_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3',
  tenantId: 'ten_acme',
  purpose: 'view',
  workOrderId: 'wo_01JD3Q8ZV5X6Y7Z8A9B0C1D2E4',
  expiresAt: inAWeek,
  ...overrides,
});

/** The token with the character at `position` of one of its parts replaced by another. */
function altered(token: string, part: number, position: number): string {
  const parts = token.split('.');
  const text = parts[part] ?? '';
  const at = position % text.length;
  const replacement = text[at] === 'A' ? 'B' : 'A';
  parts[part] = text.slice(0, at) + replacement + text.slice(at + 1);
  return parts.join('.');
}

describe('link tokens', () => {
  it('when a token is signed and read with the same keys, it gives back the claims and the key id', () => {
    // Arrange
    const claims = aClaim({ purpose: 'pay', invoiceId: 'inv_01JD3Q8ZV5X6Y7Z8A9B0C1D2E4' });

    // Act
    const reading = readLinkToken(signLinkToken(claims, keyring), keyring, now);

    // Assert
    expect(reading).toEqual({ valid: true, claims, kid: 'k2' });
  });

  it('when a token is read at or after its expiry, it is refused as expired', () => {
    // Arrange
    const token = signLinkToken(aClaim({ expiresAt: Math.floor(now.getTime() / 1000) }), keyring);

    // Act
    const reading = readLinkToken(token, keyring, now);

    // Assert
    expect(reading).toEqual({ valid: false, reason: 'expired' });
  });

  it('when any one character of the claims or the signature is changed, the token is refused', () => {
    // Arrange
    const token = signLinkToken(aClaim(), keyring);
    const [, body = '', signature = ''] = token.split('.');
    const changed = [
      ...[...body].map((_, position) => altered(token, 1, position)),
      ...[...signature].map((_, position) => altered(token, 2, position)),
    ];

    // Act
    const accepted = changed.filter((candidate) => readLinkToken(candidate, keyring, now).valid);

    // Assert
    expect(changed.length).toBeGreaterThan(150);
    expect(accepted).toEqual([]);
  });

  it('when a token is signed with any claims, reading it gives them back', () => {
    // Act & Assert
    fc.assert(
      fc.property(
        fc.constantFrom('view' as const, 'sign' as const),
        fc.stringMatching(/^[0-9A-Z]{26}$/),
        fc.integer({ min: inAWeek, max: inAWeek + 10_000_000 }),
        (purpose, id, expiresAt) => {
          const claims = aClaim({ purpose, linkId: `lnk_${id}`, workOrderId: `wo_${id}`, expiresAt });
          expect(readLinkToken(signLinkToken(claims, keyring), keyring, now)).toEqual({
            valid: true,
            claims,
            kid: 'k2',
          });
        },
      ),
    );
  });

  it('when the claims are re-encoded for another work order with the signature kept, the token is refused', () => {
    // Arrange
    const [kid, , signature] = signLinkToken(aClaim(), keyring).split('.');
    const forged = Buffer.from(
      JSON.stringify({
        l: 'lnk_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3',
        t: 'ten_acme',
        p: 'view',
        w: 'wo_OTHER',
        e: inAWeek,
      }),
    ).toString('base64url');

    // Act
    const reading = readLinkToken(`${kid}.${forged}.${signature}`, keyring, now);

    // Assert
    expect(reading).toEqual({ valid: false, reason: 'badSignature' });
  });

  it('when a token names a key the keyring does not hold, it is refused without a signature check', () => {
    // Arrange
    const token = signLinkToken(aClaim(), { current: { kid: 'k9', secret: 'x'.repeat(40) } });

    // Act
    const reading = readLinkToken(token, keyring, now);

    // Assert
    expect(reading).toEqual({ valid: false, reason: 'unknownKey' });
  });

  it.each(['', 'abc', 'a.b', 'a.b.c.d', 'k2..sig', '../../etc.x.y'])(
    'when the token is %j, it is refused as malformed',
    (token) => {
      // Act
      const reading = readLinkToken(token, keyring, now);

      // Assert
      expect(reading).toEqual({ valid: false, reason: 'malformed' });
    },
  );

  it('when a pay token names no invoice, it is refused even with a valid signature', () => {
    // Arrange
    const token = signLinkToken(aClaim({ purpose: 'pay' }), keyring);

    // Act
    const reading = readLinkToken(token, keyring, now);

    // Assert
    expect(reading).toEqual({ valid: false, reason: 'malformed' });
  });

  describe('key rotation', () => {
    const next = { kid: 'k3', secret: 't'.repeat(40) };

    it('when the keys are rotated, tokens signed with the key before still open and new ones carry the new key id', () => {
      // Arrange
      const before = signLinkToken(aClaim(), keyring);
      const rotated = rotateKeyring(keyring, next);

      // Act
      const old = readLinkToken(before, rotated, now);
      const fresh = readLinkToken(signLinkToken(aClaim(), rotated), rotated, now);

      // Assert
      expect(old).toMatchObject({ valid: true, kid: 'k2' });
      expect(fresh).toMatchObject({ valid: true, kid: 'k3' });
    });

    it('when the keys are rotated twice, tokens of the key dropped no longer open', () => {
      // Arrange
      const before = signLinkToken(aClaim(), keyring);
      const twice = rotateKeyring(rotateKeyring(keyring, next), { kid: 'k4', secret: 'u'.repeat(40) });

      // Act
      const reading = readLinkToken(before, twice, now);

      // Assert
      expect(reading).toEqual({ valid: false, reason: 'unknownKey' });
    });

    it('when the new key has the id of the current one, the rotation is refused', () => {
      // Act & Assert
      expect(() => rotateKeyring(keyring, { kid: 'k2', secret: 'v'.repeat(40) })).toThrow(/id of its own/);
    });
  });

  describe('storedKeyring', () => {
    it('when the stored value has a current and a previous key, it reads both', () => {
      // Act
      const parsed = storedKeyring.parse({
        kid: 'k3',
        secret: 'a'.repeat(64),
        previous: { kid: 'k2', secret: 'b'.repeat(64) },
      });

      // Assert
      expect(parsed).toEqual({
        current: { kid: 'k3', secret: 'a'.repeat(64) },
        previous: { kid: 'k2', secret: 'b'.repeat(64) },
      });
    });

    it('when a key is shorter than 32 characters, the value is refused', () => {
      // Act
      const result = storedKeyring.safeParse({ kid: 'k1', secret: 'short' });

      // Assert
      expect(result.success).toBe(false);
    });
  });
});
