import { Duration } from 'aws-cdk-lib';
import { EventField, type IEventBus, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { eventSource } from '../../lambdas/schemas/events/event-definition.ts';
import { workOrderPaymentRecorded } from '../../lambdas/schemas/events/work-order-payment-recorded.ts';
import type { InvoicePaidPayload } from '../../lambdas/schemas/schedule-payloads.ts';
import type { ServiceFunction } from './functions.ts';

export interface InvoicePaidRuleProps {
  readonly eventBus: IEventBus;
  /** The schedule target, with its dead-letter queue. */
  readonly target: ServiceFunction;
}

/**
 * A payment that leaves no balance (`WorkOrder.PaymentRecorded` with `balance` 0, however the
 * payment came: the office, the card webhook) reaches the schedule target as an `invoice-paid`
 * payload, which deletes the invoice's pending overdue check. Locally the runtime delivers the
 * same payload from the in-process bus.
 */
export class InvoicePaidRule extends Construct {
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: InvoicePaidRuleProps) {
    super(scope, id);
    const { target } = props;
    if (!target.deadLetterQueue)
      throw new Error(`${target.node.path}: an event target needs its dead-letter queue`);
    const payload: Record<keyof InvoicePaidPayload, string> = {
      kind: 'invoice-paid',
      tenantId: EventField.fromPath('$.detail.tenantId'),
      workOrderId: EventField.fromPath('$.detail.workOrderId'),
      invoiceId: EventField.fromPath('$.detail.invoiceId'),
    };
    this.rule = new Rule(this, 'InvoicePaid', {
      eventBus: props.eventBus,
      description: 'A payment left no balance: the invoice’s pending overdue check is deleted',
      eventPattern: {
        source: [eventSource],
        detailType: [`${workOrderPaymentRecorded.type}.v${workOrderPaymentRecorded.version}`],
        detail: { balance: [0] },
      },
      targets: [
        new LambdaFunction(target.function, {
          event: RuleTargetInput.fromObject(payload),
          deadLetterQueue: target.deadLetterQueue,
          retryAttempts: 8,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });
  }
}
