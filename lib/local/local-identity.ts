import type { webcrypto } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import type { Role } from '../../lambdas/shared/roles.ts';

export const localIssuer = 'https://local.field-service.dev/identity';
export const localAudience = 'field-service-local-client';
const algorithm = 'ES256';
/** The id of the one local key, in every token's header as a user pool's key id is. */
const keyId = 'local';

export interface TokenRequest {
  role: Role;
  tenantId: string;
  subject?: string;
  technicianId?: string;
  expiresIn?: string;
}

/**
 * The local stand-in for the Cognito user pool: one ES256 key kept in the data folder (so
 * tokens printed by one start stay valid after a restart), tokens shaped like Cognito ID
 * tokens (`custom:tenantId`, `cognito:groups`), verified like the HTTP API's JWT authorizer
 * (key id, signature, issuer, audience, expiry, not-before, issued-at).
 */
export class LocalIdentity {
  private constructor(
    private readonly privateKey: webcrypto.CryptoKey,
    private readonly publicKey: webcrypto.CryptoKey,
    readonly privateJwk: JWK,
  ) {}

  static async load(keyFile: string): Promise<LocalIdentity> {
    if (!existsSync(keyFile)) {
      const { privateKey } = await generateKeyPair(algorithm, { extractable: true });
      await mkdir(dirname(keyFile), { recursive: true });
      await writeFile(keyFile, JSON.stringify(await exportJWK(privateKey)), { mode: 0o600 });
    }
    return LocalIdentity.fromJwk(JSON.parse(await readFile(keyFile, 'utf8')) as JWK);
  }

  static async fromJwk(privateJwk: JWK): Promise<LocalIdentity> {
    const { d: _secret, ...publicJwk } = privateJwk;
    const privateKey = (await importJWK(privateJwk, algorithm)) as webcrypto.CryptoKey;
    const publicKey = (await importJWK(publicJwk, algorithm)) as webcrypto.CryptoKey;
    return new LocalIdentity(privateKey, publicKey, privateJwk);
  }

  async issue(request: TokenRequest): Promise<string> {
    const subject = request.subject ?? `local-${request.role}-${request.tenantId}`;
    return new SignJWT({
      token_use: 'id',
      'cognito:groups': [request.role],
      'cognito:username': subject,
      'custom:tenantId': request.tenantId,
      ...(request.technicianId ? { 'custom:technicianId': request.technicianId } : {}),
    })
      .setProtectedHeader({ alg: algorithm, kid: keyId })
      .setSubject(subject)
      .setIssuer(localIssuer)
      .setAudience(localAudience)
      .setIssuedAt()
      .setExpirationTime(request.expiresIn ?? '12h')
      .sign(this.privateKey);
  }

  /**
   * The verified claims, or undefined for a missing, tampered, expired or foreign token. As the
   * authorizer does with the user pool's keys, the key is the one the token's `kid` names (none
   * other is known here), the expiry must be there and be ahead, and a token is not taken before
   * it was issued.
   */
  async verify(token: string): Promise<Record<string, unknown> | undefined> {
    try {
      const { payload } = await jwtVerify(
        token,
        (header) => {
          if (header.kid !== keyId) throw new Error('The token names no key of this identity');
          return this.publicKey;
        },
        {
          issuer: localIssuer,
          audience: localAudience,
          algorithms: [algorithm],
          requiredClaims: ['exp'],
        },
      );
      if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000) return undefined;
      return payload;
    } catch {
      return undefined;
    }
  }
}
