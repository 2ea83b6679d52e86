import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalIdentity, localAudience, localIssuer } from '../../../lib/local/local-identity.ts';

describe('LocalIdentity', () => {
  let privateJwk: JWK;
  let identity: LocalIdentity;

  beforeAll(async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    privateJwk = await exportJWK(privateKey);
    identity = await LocalIdentity.fromJwk(privateJwk);
  });

  const now = () => Math.floor(Date.now() / 1000);
  const claims = (extra: JWTPayload = {}): JWTPayload => ({
    sub: 'user-1',
    'custom:tenantId': 'ten_acme',
    'cognito:groups': ['admin'],
    iss: localIssuer,
    aud: localAudience,
    iat: now(),
    exp: now() + 600,
    ...extra,
  });
  /** Signed with the identity's own key: only the header and claims are off. */
  const signed = async (payload: JWTPayload, header: { kid?: string } = { kid: 'local' }) =>
    new SignJWT(payload)
      .setProtectedHeader({ alg: 'ES256', ...header })
      .sign(await importJWK(privateJwk, 'ES256'));

  it('when it verifies a token it issued, it answers the claims', async () => {
    // Arrange
    const token = await identity.issue({ role: 'dispatcher', tenantId: 'ten_acme' });

    // Act
    const verified = await identity.verify(token);

    // Assert
    expect(verified).toMatchObject({ 'custom:tenantId': 'ten_acme', 'cognito:groups': ['dispatcher'] });
  });

  it('when a token signed with its key has the claims it would issue, it is taken', async () => {
    // Act
    const verified = await identity.verify(await signed(claims()));

    // Assert
    expect(verified).toMatchObject({ sub: 'user-1' });
  });

  it.each([
    ['names another key id', () => signed(claims(), { kid: 'retired-2019' })],
    ['names no key id', () => signed(claims(), {})],
    ['has no expiry', () => signed(claims({ exp: undefined }))],
    ['was issued an hour from now', () => signed(claims({ iat: now() + 3600, exp: now() + 7200 }))],
    ['expired a minute ago', () => signed(claims({ iat: now() - 600, exp: now() - 60 }))],
    ['is not valid for an hour yet', () => signed(claims({ nbf: now() + 3600 }))],
  ])('when a token signed with its key %s, it is refused', async (_case, token) => {
    // Act
    const verified = await identity.verify(await token());

    // Assert
    expect(verified).toBeUndefined();
  });
});
