import { createHmac, createPublicKey } from 'node:crypto';
import { generateKeyPair, importJWK, type JWK, type JWTPayload, SignJWT } from 'jose';
import { inject } from 'vitest';
import { localAudience, localIssuer } from '../../lib/local/local-identity.ts';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** The claims of a token as the local identity issues them (Cognito ID token shape). */
export function claimsOf(
  role: string,
  tenantId: string,
  extra: Record<string, unknown> = {},
): JWTPayload & Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    token_use: 'id',
    'cognito:groups': [role],
    'cognito:username': `attacker-${role}`,
    'custom:tenantId': tenantId,
    sub: `attacker-${role}`,
    iss: localIssuer,
    aud: localAudience,
    iat: now,
    exp: now + 3600,
    ...extra,
  };
}

/** The platform's own signing key (as the tests' local identity holds it). */
const platformKey = async () => {
  const jwk = JSON.parse(inject('identityJwk')) as JWK;
  return { jwk, key: await importJWK(jwk, 'ES256') };
};

/** A token signed with the platform's key, with any header and claims (or none of the usual ones). */
export async function signedByThePlatform(
  claims: JWTPayload & Record<string, unknown>,
  header: { kid?: string } = { kid: 'local' },
) {
  const { key } = await platformKey();
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', ...header }).sign(key);
}

/** A token signed with a key the platform never had, under the platform's key id. */
export async function signedByAnotherKey(claims: JWTPayload & Record<string, unknown>) {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'local' }).sign(privateKey);
}

/** An unsecured token (`alg: none`): no signature at all, or the signature of a real token kept. */
export function unsigned(claims: Record<string, unknown>, keptSignature = '') {
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.${keptSignature}`;
}

/**
 * Algorithm confusion: an HS256 token whose HMAC secret is the platform's public key (as JWK text
 * or PEM), which a verifier that let the token pick its algorithm would accept.
 */
export async function hmacWithThePublicKey(claims: Record<string, unknown>, as: 'jwk' | 'pem') {
  const { jwk } = await platformKey();
  const { d: _private, ...publicJwk } = jwk;
  const secret =
    as === 'jwk'
      ? JSON.stringify(publicJwk)
      : (createPublicKey({ key: publicJwk as never, format: 'jwk' }).export({
          type: 'spki',
          format: 'pem',
        }) as string);
  const signingInput = `${base64url({ alg: 'HS256', typ: 'JWT', kid: 'local' })}.${base64url(claims)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

/** A real token with its claims rewritten and its signature kept. */
export function withClaims(
  token: string,
  change: (claims: Record<string, unknown>) => Record<string, unknown>,
) {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  return `${header}.${base64url(change(claims))}.${signature}`;
}
