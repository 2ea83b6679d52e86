import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type LinkKeyring, storedKeyring } from '../../domain/customer-pages/link-tokens.ts';
import type { LinkKeys } from '../../ports/customer-link-store.ts';
import { cachedSecret, jsonOf } from './cached-secret.ts';

/**
 * The keyring as stored (`{"kid","secret","previous":{…}}`); a value that is not one fails with
 * where it came from, never with its content.
 */
export function parseKeyring(value: string | undefined, source: string): LinkKeyring {
  const parsed = storedKeyring.safeParse(jsonOf(value));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || 'value').join(', ');
    throw new Error(`The customer link keys in ${source} are not set up: ${fields}`);
  }
  return parsed.data;
}

/**
 * The link signing keys kept in Secrets Manager, read on first use and cached for five minutes;
 * a failed read is not kept, the next call tries again.
 */
export function secretsManagerLinkKeys(
  client: Pick<SecretsManagerClient, 'send'>,
  secretId: string,
  now: () => number = Date.now,
): LinkKeys {
  return cachedSecret(client, secretId, (value) => parseKeyring(value, `the secret ${secretId}`), now);
}
