import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { type WorkflowFunctionName, workflowFunctions } from '../../lambdas/handlers/functions.ts';
import { definitionPlaceholders } from '../../lib/constructs/workflow.ts';
import { defaultProjectRoot } from '../../lib/stacks/app.ts';
import {
  actionsOf,
  logicalIdOf,
  propertiesOf,
  resourcesOf,
  statementsOfRole,
  synthesize,
} from './synthesize.ts';

interface AslState {
  Type: string;
  Parameters?: { FunctionName?: string };
  Branches?: AslMachine[];
  ItemProcessor?: AslMachine;
  Iterator?: AslMachine;
}

interface AslMachine {
  StartAt: string;
  States: Record<string, AslState>;
}

const aslFile = join(defaultProjectRoot, 'statemachines', 'work-order.asl.json');

/** Every state by name, including those inside Parallel branches and Map processors. */
function statesOf(machine: AslMachine): Map<string, AslState> {
  const found = new Map<string, AslState>();
  for (const [name, state] of Object.entries(machine.States)) {
    found.set(name, state);
    const nested = [...(state.Branches ?? []), state.ItemProcessor, state.Iterator].filter(
      (inner): inner is AslMachine => inner !== undefined,
    );
    for (const inner of nested) for (const entry of statesOf(inner)) found.set(...entry);
  }
  return found;
}

/** What the deployed state machine runs: the staged definition asset and its substitutions. */
function deployedDefinition() {
  const synthesized = synthesize('dev');
  const properties = propertiesOf(synthesized.json, logicalIdOf(synthesized.stack.workflow.stateMachine));
  const location = properties.DefinitionS3Location as { Key: string };
  const text = readFileSync(join(synthesized.assemblyDirectory, `asset.${location.Key}`), 'utf8');
  const substitutions = properties.DefinitionSubstitutions as Record<
    string,
    { 'Fn::GetAtt': [string, string] }
  >;
  return { synthesized, properties, text, substitutions };
}

describe('WorkOrderWorkflow', () => {
  it('when synthesized, it deploys the ASL file as it is in the repository', () => {
    // Arrange
    const expected = readFileSync(aslFile, 'utf8');

    // Act
    const { text } = deployedDefinition();

    // Assert
    expect(text).toBe(expected);
  });

  it('when synthesized, every placeholder of the ASL file is substituted with the ARN of its workflow function', () => {
    // Arrange
    const { synthesized, substitutions, text } = deployedDefinition();
    const expected = Object.fromEntries(
      (Object.keys(workflowFunctions) as WorkflowFunctionName[]).map((name) => [
        `${name}Arn`,
        { 'Fn::GetAtt': [logicalIdOf(synthesized.stack.functions.workflow[name].function), 'Arn'] },
      ]),
    );

    // Act
    const placeholders = definitionPlaceholders(text);

    // Assert
    expect(substitutions).toEqual(expected);
    expect(placeholders.sort()).toEqual(Object.keys(substitutions).sort());
  });

  it('when the substitutions are applied, it has the states of the ASL file and its tasks invoke functions of this stack', () => {
    // Arrange
    const { synthesized, substitutions, text } = deployedDefinition();
    const source = JSON.parse(readFileSync(aslFile, 'utf8')) as AslMachine;
    const resolved = text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
      const [logicalId] = substitutions[name]?.['Fn::GetAtt'] ?? ['unresolved'];
      return `arn:aws:lambda:region:account:function:${logicalId}`;
    });

    // Act
    const deployed = JSON.parse(resolved) as AslMachine;
    const deployedStates = statesOf(deployed);

    // Assert
    expect(deployed.StartAt).toBe(source.StartAt);
    expect(Object.fromEntries([...deployedStates].map(([name, state]) => [name, state.Type]))).toEqual(
      Object.fromEntries([...statesOf(source)].map(([name, state]) => [name, state.Type])),
    );
    const invoked = [...deployedStates.values()]
      .map((state) => state.Parameters?.FunctionName)
      .filter((name): name is string => name !== undefined);
    expect(invoked.length).toBeGreaterThan(0);
    for (const functionName of invoked) {
      const logicalId = functionName.split(':').at(-1) ?? '';
      expect(synthesized.json.Resources[logicalId]?.Type).toBe('AWS::Lambda::Function');
    }
  });

  it('when synthesized, the state machine may invoke the workflow functions and no other function', () => {
    // Arrange
    const { synthesized } = deployedDefinition();
    const expected = Object.values(synthesized.stack.functions.workflow).map((fn) =>
      logicalIdOf(fn.function),
    );

    // Act
    const invokeStatements = statementsOfRole(
      synthesized.json,
      synthesized.stack.workflow.stateMachine.role,
    ).filter((statement) => actionsOf(statement).includes('lambda:InvokeFunction'));
    const targets = new Set(
      invokeStatements
        .flatMap(resourcesOf)
        .map((resource) => /"Fn::GetAtt":\["([^"]+)"/.exec(JSON.stringify(resource))?.[1]),
    );

    // Assert
    expect([...targets].sort()).toEqual(expected.sort());
  });

  it('when the stage is dev, it is a traced Standard state machine logging every event with its data', () => {
    // Arrange
    const { properties, synthesized } = deployedDefinition();

    // Act & Assert
    expect(properties).toMatchObject({
      StateMachineType: 'STANDARD',
      StateMachineName: 'FieldService-Dev-WorkOrder',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [
          {
            CloudWatchLogsLogGroup: {
              LogGroupArn: { 'Fn::GetAtt': [logicalIdOf(synthesized.stack.workflow.logGroup), 'Arn'] },
            },
          },
        ],
      },
    });
  });

  it('when the stage is prod, its logs leave out execution data, which carries customer details', () => {
    // Arrange
    const { template } = synthesize('prod');

    // Act & Assert
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'FieldService-Prod-WorkOrder',
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    });
  });
});
