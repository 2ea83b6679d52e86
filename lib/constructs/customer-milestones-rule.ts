import { Duration } from 'aws-cdk-lib';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { detailTypeOf } from '../../lambdas/schemas/events/bus-event.ts';
import { customerMilestoneEvents } from '../../lambdas/schemas/events/customer-milestone-events.ts';
import { eventSource } from '../../lambdas/schemas/events/event-definition.ts';
import type { ServiceFunction } from './functions.ts';

export interface CustomerMilestonesRuleProps {
  readonly eventBus: IEventBus;
  /** The customer-milestones function, with its dead-letter queue. */
  readonly target: ServiceFunction;
}

/**
 * The work-order events customers hear about — the technician on the way, the work done — and
 * those that withdraw the day-before reminder (cancelled, back to scheduling) reach the
 * customer-milestones function as EventBridge delivers them. Locally the runtime delivers the
 * same events from the in-process bus.
 */
export class CustomerMilestonesRule extends Construct {
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: CustomerMilestonesRuleProps) {
    super(scope, id);
    const { target } = props;
    if (!target.deadLetterQueue)
      throw new Error(`${target.node.path}: an event target needs its dead-letter queue`);
    this.rule = new Rule(this, 'CustomerMilestones', {
      eventBus: props.eventBus,
      description: 'Customer messages at milestones (en route, completed); day-before reminders withdrawn',
      eventPattern: {
        source: [eventSource],
        detailType: customerMilestoneEvents.map(detailTypeOf),
      },
      targets: [
        new LambdaFunction(target.function, {
          deadLetterQueue: target.deadLetterQueue,
          retryAttempts: 8,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });
  }
}
