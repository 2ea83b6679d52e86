import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, type AlarmProps, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface ObservabilityProps {
  readonly topic: ITopic;
  readonly stateMachine: IStateMachine;
  readonly functions: Readonly<Record<string, IFunction>>;
  readonly httpApi: HttpApi;
}

const fiveMinutes = Duration.minutes(5);

/**
 * Alarms that tell the office topic when automation breaks: a failed work-order execution,
 * a function that throws, an API that answers with server errors.
 */
export class Observability extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const action = new SnsAction(props.topic);
    const raise = (
      alarmId: string,
      alarm: Pick<AlarmProps, 'alarmDescription' | 'metric'>,
      threshold = 1,
    ) => {
      const created = new Alarm(this, alarmId, {
        ...alarm,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      this.alarms.push(created);
    };

    raise('WorkOrderExecutionsFailed', {
      alarmDescription: 'A work-order execution failed: the work order needs the office',
      metric: props.stateMachine.metricFailed({ period: fiveMinutes, statistic: 'sum' }),
    });
    raise('WorkOrderExecutionsTimedOut', {
      alarmDescription: 'A work-order execution timed out while waiting for a stage',
      metric: props.stateMachine.metricTimedOut({ period: fiveMinutes, statistic: 'sum' }),
    });
    for (const [name, fn] of Object.entries(props.functions)) {
      raise(`${name}Errors`, {
        alarmDescription: `The ${name} function threw`,
        metric: fn.metricErrors({ period: fiveMinutes, statistic: 'sum' }),
      });
    }
    raise(
      'ApiServerErrors',
      {
        alarmDescription: 'The API answered with 5xx responses',
        metric: props.httpApi.metricServerError({ period: fiveMinutes, statistic: 'sum' }),
      },
      5,
    );
  }
}
