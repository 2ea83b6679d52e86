import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { secretsManagerStripeKeys } from '../../../lambdas/adapters/payments/stripe-keys.ts';
import { rejectionOf } from '../support/caught-errors.ts';

const secretsManager = mockClient(SecretsManagerClient);
const secretId = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:field-service/dev/stripe-AbCdEf';
const value = { secretKey: 'sk_test_123', webhookSecret: 'whsec_456' };

describe('secretsManagerStripeKeys', () => {
  let clockMs: number;
  const keysOf = () =>
    secretsManagerStripeKeys(new SecretsManagerClient({ region: 'us-east-1' }), secretId, () => clockMs);

  beforeEach(() => {
    secretsManager.reset();
    clockMs = Date.parse('2025-03-20T16:00:00.000Z');
  });

  it('when asked for the keys, it reads the secret once and keeps them for five minutes', async () => {
    // Arrange
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(value) });
    const keys = keysOf();

    // Act
    const first = await keys();
    clockMs += 4 * 60 * 1000;
    const second = await keys();
    clockMs += 2 * 60 * 1000;
    await keys();

    // Assert
    expect([first, second]).toEqual([value, value]);
    expect(secretsManager.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input)).toEqual([
      { SecretId: secretId },
      { SecretId: secretId },
    ]);
  });

  it.each([
    ['still holds the placeholder the stack made', 'K8#s!placeholder'],
    ['lacks the webhook secret', JSON.stringify({ secretKey: 'sk_test_123' })],
    ['holds a publishable key', JSON.stringify({ ...value, secretKey: 'pk_test_123' })],
  ])(
    'when the secret %s, it fails naming the secret and the field, never the value',
    async (_, secretString) => {
      // Arrange
      secretsManager.on(GetSecretValueCommand).resolves({ SecretString: secretString });

      // Act
      const error = await rejectionOf(keysOf()());

      // Assert
      expect((error as Error).message).toMatch(
        /^The Stripe secret arn:aws:secretsmanager:.+ is not set up: /,
      );
      expect((error as Error).message).not.toContain('pk_test_123');
      expect((error as Error).message).not.toContain('placeholder');
    },
  );

  it('when a read fails, the next call reads again', async () => {
    // Arrange
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ SecretString: JSON.stringify(value) });
    const keys = keysOf();
    const failed = await rejectionOf(keys());

    // Act
    const read = await keys();

    // Assert
    expect(failed).toMatchObject({ message: 'throttled' });
    expect(read).toEqual(value);
  });
});
