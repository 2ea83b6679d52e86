import { readFileSync } from 'node:fs';
import { Stack, Validations } from 'aws-cdk-lib';
import type { CfnFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { WorkflowTarget } from './functions.ts';
import { isProduction, logRetentionFor, removalPolicyFor, type Stage } from './stage.ts';

export interface WorkOrderWorkflowProps {
  readonly stage: Stage;
  /** Fixed, so that functions can be granted access to it by name before it exists. */
  readonly stateMachineName: string;
  /** The ASL file, the single source of truth for the workflow. */
  readonly definitionFile: string;
  /** The functions the ASL file invokes, keyed so that `AwaitStageFunction` fills `${AwaitStageFunctionArn}`. */
  readonly functions: Readonly<Record<string, { readonly function: IFunction }>>;
}

/** `${Name}` placeholders in an ASL document. */
export function definitionPlaceholders(definition: string): string[] {
  return [...new Set([...definition.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((match) => match[1] as string))];
}

/**
 * One Standard execution per work order, from the ASL file with the workflow functions' ARNs
 * substituted in. Every execution is logged (state transitions always, payloads outside prod,
 * since they carry customer details) and traced.
 */
export class WorkOrderWorkflow extends Construct {
  /** The state machine by its fixed name, for grants that must not depend on the resource itself. */
  static target(scope: Construct, id: string, stateMachineName: string): WorkflowTarget {
    return {
      stateMachine: StateMachine.fromStateMachineName(scope, id, stateMachineName),
      stateMachineName,
    };
  }

  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: WorkOrderWorkflowProps) {
    super(scope, id);
    const { stage, stateMachineName } = props;

    const substitutions = Object.fromEntries(
      Object.entries(props.functions).map(([key, { function: fn }]) => [`${key}Arn`, fn.functionArn]),
    );
    const unfilled = definitionPlaceholders(readFileSync(props.definitionFile, 'utf8')).filter(
      (placeholder) => !(placeholder in substitutions),
    );
    if (unfilled.length > 0) {
      throw new Error(
        `${props.definitionFile} uses ${unfilled.map((name) => `\${${name}}`).join(', ')}, but no workflow function fills it`,
      );
    }

    this.logGroup = new LogGroup(this, 'LogGroup', {
      // The vendedlogs prefix keeps the log group out of the account's size-limited resource policy.
      logGroupName: `/aws/vendedlogs/states/${stateMachineName}`,
      retention: logRetentionFor(stage),
      removalPolicy: removalPolicyFor(stage),
    });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(props.definitionFile),
      definitionSubstitutions: substitutions,
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: !isProduction(stage) },
      tracingEnabled: true,
    });

    for (const { function: fn } of Object.values(props.functions)) {
      fn.grantInvoke(this.stateMachine);
      Validations.of(this.stateMachine.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(fn)}.Arn>:*]`,
        reason:
          'grantInvoke also covers the versions and aliases of this one function; the state machine invokes the function and nothing else.',
      });
    }
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Execution logging (logs:CreateLogDelivery and the other log delivery actions) and X-Ray tracing (xray:PutTraceSegments and the sampling actions) do not support resource-level permissions, so IAM requires Resource "*".',
    });
  }
}

function logicalIdOf(fn: IFunction): string {
  const resource = fn.node.defaultChild as CfnFunction | undefined;
  if (!resource) throw new Error(`Cannot scope an acknowledgment to the imported function ${fn.node.path}`);
  return Stack.of(fn).resolve(resource.logicalId);
}
