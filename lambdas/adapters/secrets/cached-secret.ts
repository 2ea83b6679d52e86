import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Secrets are read again after this long, so that a rolled value reaches warm functions. */
const cacheMilliseconds = 5 * 60 * 1000;

/**
 * A secret of Secrets Manager as `parse` makes it, read on first use and cached for five
 * minutes. A failed read or parse is not kept: the next call tries again. `parse` reports a
 * value it cannot use by where it came from, never by its content.
 */
export function cachedSecret<T>(
  client: Pick<SecretsManagerClient, 'send'>,
  secretId: string,
  parse: (value: string | undefined) => T,
  now: () => number = Date.now,
): () => Promise<T> {
  let cached: { value: Promise<T>; until: number } | undefined;
  const read = async () => {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    return parse(SecretString);
  };
  return () => {
    if (!cached || cached.until <= now()) {
      const value = read();
      cached = { value, until: now() + cacheMilliseconds };
      value.catch(() => {
        if (cached?.value === value) cached = undefined;
      });
    }
    return cached.value;
  };
}

/** The JSON in a secret's value, or `undefined` when it is none. */
export function jsonOf(value: string | undefined): unknown {
  try {
    return JSON.parse(value ?? '');
  } catch {
    return undefined;
  }
}
