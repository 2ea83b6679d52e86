import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';

/** The Stripe account's API key and the webhook endpoint's signing secret. */
export interface StripeKeys {
  secretKey: string;
  webhookSecret: string;
}

/** The secret's value: JSON with both keys, as the deploy notes in the README put it. */
const stripeSecretValue = z.object({
  secretKey: z.string().regex(/^(sk|rk)_/, 'must be a Stripe secret or restricted key (sk_…, rk_…)'),
  webhookSecret: z.string().regex(/^whsec_/, "must be the webhook endpoint's signing secret (whsec_…)"),
});

/** Keys are read again after this long, so that a rolled key reaches warm functions. */
const cacheMilliseconds = 5 * 60 * 1000;

/**
 * The Stripe keys kept in Secrets Manager, read on first use and cached for five minutes.
 * A value that is not the expected JSON fails with the secret's name, never with its content.
 */
export function secretsManagerStripeKeys(
  client: Pick<SecretsManagerClient, 'send'>,
  secretId: string,
  now: () => number = Date.now,
): () => Promise<StripeKeys> {
  let cached: { keys: Promise<StripeKeys>; until: number } | undefined;
  const read = async (): Promise<StripeKeys> => {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    let value: unknown;
    try {
      value = JSON.parse(SecretString ?? '');
    } catch {
      value = undefined;
    }
    const parsed = stripeSecretValue.safeParse(value);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join('.') || 'value').join(', ');
      throw new Error(
        `The Stripe secret ${secretId} is not set up: ${fields} (see the README's deploy notes)`,
      );
    }
    return parsed.data;
  };
  return () => {
    if (!cached || cached.until <= now()) {
      const keys = read();
      cached = { keys, until: now() + cacheMilliseconds };
      // A failed read is not kept: the next call tries again.
      keys.catch(() => {
        if (cached?.keys === keys) cached = undefined;
      });
    }
    return cached.keys;
  };
}
