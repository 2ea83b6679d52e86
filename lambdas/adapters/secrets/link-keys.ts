import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type LinkKeyring, storedKeyring } from '../../domain/customer-pages/link-tokens.ts';
import type { LinkKeys } from '../../ports/customer-link-store.ts';

/** Keys are read again after this long, so that a rolled key reaches warm functions. */
const cacheMilliseconds = 5 * 60 * 1000;

/**
 * The keyring as stored (`{"kid","secret","previous":{…}}`); a value that is not one fails with
 * where it came from, never with its content.
 */
export function parseKeyring(value: string | undefined, source: string): LinkKeyring {
  let json: unknown;
  try {
    json = JSON.parse(value ?? '');
  } catch {
    json = undefined;
  }
  const parsed = storedKeyring.safeParse(json);
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
  let cached: { keys: Promise<LinkKeyring>; until: number } | undefined;
  const read = async () => {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    return parseKeyring(SecretString, `the secret ${secretId}`);
  };
  return () => {
    if (!cached || cached.until <= now()) {
      const keys = read();
      cached = { keys, until: now() + cacheMilliseconds };
      keys.catch(() => {
        if (cached?.keys === keys) cached = undefined;
      });
    }
    return cached.keys;
  };
}
