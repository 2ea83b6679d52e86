import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { cachedSecret, jsonOf } from '../secrets/cached-secret.ts';

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

/**
 * The Stripe keys kept in Secrets Manager, read on first use and cached for five minutes.
 * A value that is not the expected JSON fails with the secret's name, never with its content.
 */
export function secretsManagerStripeKeys(
  client: Pick<SecretsManagerClient, 'send'>,
  secretId: string,
  now: () => number = Date.now,
): () => Promise<StripeKeys> {
  const parse = (value: string | undefined): StripeKeys => {
    const parsed = stripeSecretValue.safeParse(jsonOf(value));
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join('.') || 'value').join(', ');
      throw new Error(
        `The Stripe secret ${secretId} is not set up: ${fields} (see the README's deploy notes)`,
      );
    }
    return parsed.data;
  };
  return cachedSecret(client, secretId, parse, now);
}
