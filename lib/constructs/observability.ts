import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  type AlarmProps,
  ComparisonOperator,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { operationalMetrics } from '../../lambdas/shared/operational-metrics.ts';
import { metricsNamespace, type ServiceFunction, serviceName } from './functions.ts';
import { resourceName, type Stage } from './stage.ts';

export interface ObservabilityProps {
  readonly stage: Stage;
  /** Encrypts the alarm topic; its key policy lets CloudWatch alarms use it. */
  readonly topicKey: IKey;
  /** The operators' address the alarms are emailed to, when given (`-c alarmEmail=…`). */
  readonly alarmEmail?: string;
  readonly stateMachine: IStateMachine;
  /** Every function: each one's errors and throttles are watched, and its dead-letter queue if it has one. */
  readonly functions: readonly ServiceFunction[];
  readonly httpApi: HttpApi;
  /** The group of the one-time schedules (reminders, releases, overdue checks). */
  readonly scheduleGroup: IScheduleGroup;
}

const fiveMinutes = Duration.minutes(5);

/** The API's share of 4xx answers that is more than clients' usual mistakes (a broken client release, probing). */
const clientErrorPercent = 25;
/** Below this many requests in five minutes a 4xx rate says nothing. */
const clientErrorMinimumRequests = 50;
/** The API's p95 latency that, held for fifteen minutes, users notice. */
const latencyP95Milliseconds = 3_000;

/**
 * Alarms that tell the operators, on a topic of their own, when automation breaks: a failed or
 * timed-out work-order execution, a function that throws or is throttled, an API answering
 * with server errors, many client errors or slowly, an event parked in a dead-letter queue, a
 * schedule dropped, and the counts the functions publish — work orders newly flagged
 * `needs_attention`, customer messages that failed every attempt, other side effects that
 * failed after their change was saved.
 */
export class Observability extends Construct {
  /** Where the alarms go: encrypted, TLS only, published to by this account's alarms alone. */
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { stage } = props;

    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: `Field service alarms (${stage})`,
      masterKey: props.topicKey,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    if (props.alarmEmail) {
      const email = this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
      Validations.of(email).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'Alarm email to the operators: SNS retries email by its delivery policy, and an alarm whose mail is lost stays in ALARM in the CloudWatch console and its history; a queue of undelivered alarm mail would be watched by no one.',
      });
    }

    const action = new SnsAction(this.topic);
    const raise = (
      alarmId: string,
      alarm: Pick<AlarmProps, 'alarmDescription' | 'metric'> &
        Partial<Pick<AlarmProps, 'evaluationPeriods' | 'datapointsToAlarm'>>,
      threshold = 1,
    ) => {
      const created = new Alarm(this, alarmId, {
        alarmName: resourceName(stage, alarmId),
        evaluationPeriods: 1,
        ...alarm,
        threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      this.alarms.push(created);
    };
    const count = (metricName: string) =>
      new Metric({
        namespace: metricsNamespace,
        metricName,
        dimensionsMap: { service: serviceName },
        period: fiveMinutes,
        statistic: 'Sum',
      });

    raise('WorkOrderExecutionsFailed', {
      alarmDescription: 'A work-order execution failed: the work order needs the office',
      metric: props.stateMachine.metricFailed({ period: fiveMinutes, statistic: 'sum' }),
    });
    raise('WorkOrderExecutionsTimedOut', {
      alarmDescription: 'A work-order execution timed out while waiting for a stage',
      metric: props.stateMachine.metricTimedOut({ period: fiveMinutes, statistic: 'sum' }),
    });

    for (const fn of props.functions) {
      const name = fn.node.id;
      raise(`${name}Errors`, {
        alarmDescription: `The ${name} function threw`,
        metric: fn.function.metricErrors({ period: fiveMinutes, statistic: 'sum' }),
      });
      raise(`${name}Throttles`, {
        alarmDescription: `The ${name} function was throttled: requests or events were refused or delayed`,
        metric: fn.function.metricThrottles({ period: fiveMinutes, statistic: 'sum' }),
      });
      if (fn.deadLetterQueue) {
        raise(`${name}DeadLetters`, {
          alarmDescription: `An event for the ${name} function failed every retry and waits in its dead-letter queue`,
          metric: fn.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: fiveMinutes,
            statistic: 'max',
          }),
        });
      }
    }

    raise(
      'ApiServerErrors',
      {
        alarmDescription: 'The API answered with 5xx responses',
        metric: props.httpApi.metricServerError({ period: fiveMinutes, statistic: 'sum' }),
      },
      5,
    );
    raise(
      'ApiClientErrorRate',
      {
        alarmDescription: `More than ${clientErrorPercent} % of at least ${clientErrorMinimumRequests} requests answered with 4xx for fifteen minutes`,
        metric: new MathExpression({
          label: 'Client error percentage',
          expression: `IF(requests >= ${clientErrorMinimumRequests}, 100 * clientErrors / requests, 0)`,
          usingMetrics: {
            requests: props.httpApi.metricCount({ period: fiveMinutes, statistic: 'sum' }),
            clientErrors: props.httpApi.metricClientError({ period: fiveMinutes, statistic: 'sum' }),
          },
          period: fiveMinutes,
        }),
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
      },
      clientErrorPercent,
    );
    raise(
      'ApiLatency',
      {
        alarmDescription: `The API's p95 latency stayed at ${latencyP95Milliseconds} ms or more for fifteen minutes`,
        metric: props.httpApi.metricLatency({ period: fiveMinutes, statistic: 'p95' }),
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
      },
      latencyP95Milliseconds,
    );

    raise('SchedulesDropped', {
      alarmDescription:
        'A schedule could not invoke its target after every retry: a reminder, release or overdue check did not run',
      metric: props.scheduleGroup.metricDropped({ period: fiveMinutes, statistic: 'sum' }),
    });
    raise('WorkOrdersNeedAttention', {
      alarmDescription: 'A work order was flagged needs_attention: automation failed and the office must act',
      metric: count(operationalMetrics.needsAttention),
    });
    raise('CustomerMessagesFailed', {
      alarmDescription: 'A customer message failed every delivery attempt (SMS or email)',
      metric: count(operationalMetrics.customerMessagesFailed),
    });
    raise('SideEffectFailures', {
      alarmDescription:
        'A side effect failed after its change was saved (an event not published, a workflow not told)',
      metric: count(operationalMetrics.sideEffectFailures),
    });
  }
}
