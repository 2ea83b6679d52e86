import {
  ExecutionAlreadyExists,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { StepFunctionsWorkflow } from '../../../lambdas/adapters/sfn/step-functions-workflow.ts';

const stateMachineArn = 'arn:aws:states:us-east-1:123456789012:stateMachine:work-order';
const sfn = mockClient(SFNClient);

describe('StepFunctionsWorkflow', () => {
  const workflow = new StepFunctionsWorkflow(new SFNClient({ region: 'us-east-1' }), stateMachineArn);

  beforeEach(() => sfn.reset());

  it('when starting, it starts the state machine with the execution name and the input as JSON', async () => {
    // Arrange
    sfn.on(StartExecutionCommand).resolves({
      executionArn: `${stateMachineArn.replace('stateMachine', 'execution')}:wo_01`,
      startDate: new Date(),
    });

    // Act
    await workflow.start('wo_01', { tenantId: 'ten_acme', workOrderId: 'wo_01' });

    // Assert
    const calls = sfn.commandCalls(StartExecutionCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input).toMatchObject({ stateMachineArn, name: 'wo_01' });
    expect(JSON.parse(input?.input ?? 'null')).toEqual({ tenantId: 'ten_acme', workOrderId: 'wo_01' });
  });

  it('when started, it returns the execution ARN', async () => {
    // Arrange
    const executionArn = 'arn:aws:states:us-east-1:123456789012:execution:work-order:wo_01';
    sfn.on(StartExecutionCommand).resolves({ executionArn, startDate: new Date() });

    // Act
    const result = await workflow.start('wo_01', { tenantId: 'ten_acme', workOrderId: 'wo_01' });

    // Assert
    expect(result).toEqual({ executionArn });
  });

  it('when an execution of that name exists with another input, it passes on ExecutionAlreadyExists', async () => {
    // Arrange
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));

    // Act
    const start = workflow.start('wo_01', { tenantId: 'ten_acme', workOrderId: 'wo_01' });

    // Assert
    await expect(start).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('when answering a task with success, it sends the token and the output as JSON', async () => {
    // Arrange
    sfn.on(SendTaskSuccessCommand).resolves({});

    // Act
    await workflow.succeed('token-abc', { status: 'scheduled', version: 3 });

    // Assert
    const calls = sfn.commandCalls(SendTaskSuccessCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input?.taskToken).toBe('token-abc');
    expect(JSON.parse(input?.output ?? 'null')).toEqual({ status: 'scheduled', version: 3 });
  });

  it('when answering a task with failure, it sends the token, the error and the cause', async () => {
    // Arrange
    sfn.on(SendTaskFailureCommand).resolves({});

    // Act
    await workflow.fail('token-abc', 'WorkOrder.Cancelled', 'Work order wo_01 was cancelled');

    // Assert
    expect(sfn.commandCalls(SendTaskFailureCommand).map((call) => call.args[0].input)).toEqual([
      { taskToken: 'token-abc', error: 'WorkOrder.Cancelled', cause: 'Work order wo_01 was cancelled' },
    ]);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('when Step Functions refuses the task answer, it lets the error through', async () => {
    // Arrange
    const timedOut = new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} });
    sfn.on(SendTaskSuccessCommand).rejects(timedOut);

    // Act
    const succeed = workflow.succeed('token-old', { status: 'scheduled' });

    // Assert
    await expect(succeed).rejects.toBe(timedOut);
  });
});
