import { Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { removalPolicyFor, type Stage } from './stage.ts';

export interface PaymentsProps {
  readonly stage: Stage;
}

/**
 * Card payments: the secret that holds the Stripe keys. The stack creates it with a random
 * placeholder; the operator puts the real value after the first deploy (README, Deploy):
 * `{"secretKey":"sk_…","webhookSecret":"whsec_…"}`. The functions that create checkouts or
 * verify webhooks read it (`bindPayments`); nothing else may.
 */
export class Payments extends Construct {
  readonly stripeSecret: Secret;

  constructor(scope: Construct, id: string, props: PaymentsProps) {
    super(scope, id);
    this.stripeSecret = new Secret(this, 'StripeSecret', {
      secretName: `field-service/${props.stage}/stripe`,
      description:
        'Stripe API key and webhook signing secret as JSON: {"secretKey":"sk_...","webhookSecret":"whsec_..."}',
      removalPolicy: removalPolicyFor(props.stage),
    });
    Validations.of(this.stripeSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Stripe issues and rolls these keys in its dashboard; no rotation function could mint new ones. They are rolled there and the new value is put into this secret (README, Deploy); functions re-read it every five minutes.',
    });
  }
}
