import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CfnFunction, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { removalPolicyFor, resourceName, type Stage } from './stage.ts';

export interface AutomationProps {
  readonly stage: Stage;
}

/**
 * What runs around the work orders: the topic that tells the office (its key also encrypts the
 * operators' alarm topic, see Observability),
 * the event bus with one event per work-order transition, and the EventBridge Scheduler group
 * with the role its schedules assume (reminders, recurring orders, follow-ups).
 */
export class Automation extends Construct {
  readonly topicKey: Key;
  readonly topic: Topic;
  /**
   * Where two-way SMS (AWS End User Messaging SMS) publishes the texts customers send to the
   * tenants' numbers; the inbound-SMS function subscribes to it (`subscribeInboundSms`).
   */
  readonly inboundSmsTopic: Topic;
  readonly eventBus: EventBus;
  readonly scheduleGroup: ScheduleGroup;
  /** The group's fixed name, usable in ARNs and acknowledgments before deployment. */
  readonly scheduleGroupName: string;
  /** Assumed by EventBridge Scheduler to invoke the schedule target. */
  readonly schedulerRole: Role;
  /**
   * The schedule target's fixed name, and its ARN built from the name: functions that create
   * schedules name the target without a reference to it, so the target itself may create them
   * too (an overdue check arranges the next) without depending on itself.
   */
  readonly scheduleTargetFunctionName: string;
  readonly scheduleTargetArn: string;
  private scheduleTargetFunction: IFunction | undefined;

  constructor(scope: Construct, id: string, props: AutomationProps) {
    super(scope, id);
    const { stage } = props;
    const stack = Stack.of(this);

    // A customer managed key, not alias/aws/sns: CloudWatch alarms can publish to an encrypted
    // topic only when the key policy lets cloudwatch.amazonaws.com use the key.
    this.topicKey = new Key(this, 'TopicKey', {
      description: 'Encrypts the office notification topic',
      enableKeyRotation: true,
      pendingWindow: Duration.days(7),
      removalPolicy: removalPolicyFor(stage),
    });
    this.topicKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        // In a key policy "*" means this key. No source condition: the key serves only this stack's
        // topics, whose own policies admit alarms of this account alone.
        resources: ['*'],
      }),
    );

    this.topic = new Topic(this, 'NotificationTopic', {
      displayName: 'Field service notifications',
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );

    // Two-way SMS publishes replies as the SMS service: it may use the key and publish to this topic
    // alone, for this account only.
    this.topicKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowTwoWaySmsToPublish',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('sms-voice.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        // In a key policy "*" means this key.
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    this.inboundSmsTopic = new Topic(this, 'InboundSmsTopic', {
      displayName: 'Texts customers send to the tenants’ numbers',
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    this.inboundSmsTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowTwoWaySmsToPublish',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('sms-voice.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.inboundSmsTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );

    this.eventBus = new EventBus(this, 'EventBus', {
      eventBusName: resourceName(stage),
      description: 'One versioned event per work-order transition',
    });

    this.scheduleGroupName = resourceName(stage);
    this.scheduleTargetFunctionName = resourceName(stage, 'ScheduleTarget');
    this.scheduleTargetArn = stack.formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: this.scheduleTargetFunctionName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.scheduleGroup = new ScheduleGroup(this, 'ScheduleGroup', {
      scheduleGroupName: this.scheduleGroupName,
      removalPolicy: removalPolicyFor(stage),
    });

    this.schedulerRole = new Role(this, 'SchedulerRole', {
      description: 'Assumed by EventBridge Scheduler to run the schedules of this stage',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'scheduler',
              resource: 'schedule',
              resourceName: `${this.scheduleGroupName}/*`,
            }),
          },
        },
      }),
    });
  }

  /**
   * The function that acts on customers' texts (`STOP`, `START`): subscribed to the inbound topic,
   * with the queue where SNS parks a text it could not hand to the function.
   */
  subscribeInboundSms(handler: IFunction, deadLetterQueue: IQueue): void {
    this.inboundSmsTopic.addSubscription(new LambdaSubscription(handler, { deadLetterQueue }));
  }

  /** The function the schedules invoke; the scheduler role may invoke it and nothing else. */
  get scheduleTarget(): IFunction | undefined {
    return this.scheduleTargetFunction;
  }

  setScheduleTarget(target: IFunction): void {
    if (this.scheduleTargetFunction) throw new Error('The schedule target is already set');
    const resource = target.node.defaultChild;
    if (!(resource instanceof CfnFunction) || resource.functionName !== this.scheduleTargetFunctionName) {
      throw new Error(
        `${target.node.path}: the schedule target must be named ${this.scheduleTargetFunctionName}`,
      );
    }
    this.scheduleTargetFunction = target;
    // The unqualified ARN only (grantInvoke would add every version and alias): schedules
    // invoke the function exactly as SCHEDULE_TARGET_ARN names it.
    this.schedulerRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [target.functionArn] }),
    );
  }
}
