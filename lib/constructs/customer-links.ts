import { Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { removalPolicyFor, type Stage } from './stage.ts';

export interface CustomerLinksProps {
  readonly stage: Stage;
}

/**
 * The keys customer links are signed with, in one secret: `{"kid","secret","previous"}`. The
 * stack creates it with a first key of 64 random characters, so links work from the first
 * deploy; a rotation (README, Customer pages) puts a new key in front and keeps the one before
 * as `previous`, so links already sent still open. Only the functions that issue or open links
 * read it (`bindCustomerLinks`).
 */
export class CustomerLinks extends Construct {
  readonly keySecret: Secret;

  constructor(scope: Construct, id: string, props: CustomerLinksProps) {
    super(scope, id);
    this.keySecret = new Secret(this, 'LinkKeys', {
      secretName: `field-service/${props.stage}/customer-link-keys`,
      description:
        'Signing keys of customer links as JSON: {"kid":"…","secret":"…","previous":{"kid":"…","secret":"…"}}',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ kid: 'k1' }),
        generateStringKey: 'secret',
        passwordLength: 64,
        excludePunctuation: true,
      },
      removalPolicy: removalPolicyFor(props.stage),
    });
    Validations.of(this.keySecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rolling a link key must keep the key before it (links already sent stay valid until they expire), which a generated rotation cannot: the operator puts the new keyring (README, Customer pages) and functions re-read it within five minutes.',
    });
  }
}
