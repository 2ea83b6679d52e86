import { Readable } from 'node:stream';
import {
  DynamoDBClient,
  InternalServerError,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Handler,
} from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDocumentClient, createEntities } from '../../../lambdas/adapters/dynamodb/entities.ts';
import { DynamoWorkOrderStore } from '../../../lambdas/adapters/dynamodb/work-order-store.ts';
import type { WorkOrder } from '../../../lambdas/domain/work-orders/work-order.ts';
import { handler as workOrderActions } from '../../../lambdas/handlers/api/work-order-actions.ts';
import { handler as awaitStageTask } from '../../../lambdas/handlers/workflow/await-stage.ts';
import { handler as stepsTask } from '../../../lambdas/handlers/workflow/steps.ts';
import { isTransient, toProblem } from '../../../lambdas/shared/problem.ts';
import { lambdaContext } from '../../../lib/local/gateway.ts';
import { reliabilityFigures } from '../../helpers/reliability-figures.ts';

const table = vi.hoisted(() => {
  // Before any import: the handlers' configuration and Powertools read the environment once.
  const name = 'field-service-faults';
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    TABLE_NAME: name,
    EVENT_BUS_NAME: 'field-service-events',
    STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:work-order',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    // What the workflow steps' adapters ask for when they are made (never called here).
    BUCKET_NAME: 'field-service-files',
    SENDER_EMAIL: 'office@example.com',
    SCHEDULE_GROUP_NAME: 'field-service',
    SCHEDULE_TARGET_ARN: 'arn:aws:lambda:us-east-1:000000000000:function:schedule-target',
    SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/scheduler',
    CUSTOMER_PAGES_URL: 'https://pages.example.com',
  });
  // The cloud's adapters, whatever a test file that ran before in this worker left behind
  // (a local platform started in-process sets the local ones and their endpoints).
  delete process.env.ADAPTERS;
  for (const variable of Object.keys(process.env)) {
    if (variable.startsWith('AWS_ENDPOINT_URL')) delete process.env[variable];
  }
  return name;
});
const tenantId = 'ten_faults';
const workOrderId = 'wo_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3';

const dynamodb = mockClient(DynamoDBDocumentClient);
const eventBridge = mockClient(EventBridgeClient);
const stepFunctions = mockClient(SFNClient);

/** The faults DynamoDB is made to answer, for the README's Reliability section. */
const figures = reliabilityFigures('dynamodb-faults', { faultsInjected: 0 });

/** A mock answer that throws the fault anew at each call, counted. */
const injected = (fault: () => Error) => () => {
  figures.faultsInjected += 1;
  throw fault();
};

const throughputExceeded = () =>
  new ProvisionedThroughputExceededException({
    message: 'Rate of requests exceeds the allowed throughput',
    $metadata: {},
  });
const internalError = () => new InternalServerError({ message: 'Internal server error', $metadata: {} });
/** The error the SDK surfaces once its own retries of a throttled call are spent. */
const throttled = () =>
  Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client', $metadata: {} });
/** A transaction DynamoDB cancelled: one reason per item, in the order of the items. */
const cancelled =
  (...codes: string[]) =>
  () =>
    new TransactionCanceledException({
      message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
      CancellationReasons: codes.map((Code) => ({ Code })),
      $metadata: {},
    });

/** A dispatched work order as the table holds it (ElectroDB's own item, keys and identifiers). */
function storedItem(overrides: Partial<WorkOrder> = {}): Record<string, unknown> {
  // Only builds the item's parameters: nothing is sent.
  const entities = createEntities(DynamoDBDocumentClient.from(new DynamoDBClient({})), table);
  const at = '2030-05-01T12:00:00.000Z';
  const workOrder: WorkOrder = {
    tenantId,
    workOrderId,
    customerId: 'cus_1',
    locationId: 'loc_1',
    description: 'AC is blowing warm air upstairs',
    priority: 'urgent',
    status: 'dispatched',
    technicianId: 'tec_1',
    scheduledStart: '2030-05-02T14:00:00.000Z',
    scheduledEnd: '2030-05-02T15:30:00.000Z',
    scheduledDate: '2030-05-02',
    workflowState: 'AwaitFieldWork',
    workflowStateSince: at,
    createdBy: 'dispatcher-dana',
    version: 4,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
  return entities.workOrder.put(workOrder).params().Item as Record<string, unknown>;
}

const claims = { sub: 'dispatcher-dana', 'custom:tenantId': tenantId, 'cognito:groups': '[dispatcher]' };

/** A request to the work-order actions function as API Gateway's JWT authorizer hands it over. */
function aRequest(routeKey: string, path: string, body: unknown): APIGatewayProxyEventV2WithJWTAuthorizer {
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    pathParameters: { id: workOrderId },
    body: JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-faults',
      authorizer: { jwt: { claims, scopes: [] }, principalId: '', integrationLatency: 0 },
    },
  } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

const call = async (routeKey: string, path: string, body: unknown) =>
  (await (workOrderActions as Handler)(
    aRequest(routeKey, path, body),
    lambdaContext('workOrderActions'),
    () => undefined,
  )) as APIGatewayProxyStructuredResultV2;

const hold = () =>
  call('POST /v1/work-orders/{id}/hold', `/v1/work-orders/${workOrderId}/hold`, {
    reason: 'Waiting for the landlord',
  });
const addNote = () =>
  call('POST /v1/work-orders/{id}/notes', `/v1/work-orders/${workOrderId}/notes`, {
    text: 'Condenser fan seized',
  });

/** What a workflow function invoked by a Task state fails with (undefined if it succeeds). */
async function failureOf(task: unknown, payload: Record<string, unknown>): Promise<unknown> {
  try {
    await (task as (event: unknown, context: unknown) => Promise<unknown>)(payload, lambdaContext('task'));
    return undefined;
  } catch (error) {
    return error;
  }
}

/** The work order's own key: other reads and writes of a request (the tenant's write limit) are not about it. */
const workOrderKey = (() => {
  const { pk, sk } = storedItem();
  return { pk, sk };
})();
const aboutTheWorkOrder = (call: { args: readonly [{ input: object }, ...unknown[]] }) =>
  // Keys are lower-cased by ElectroDB; the attributes keep the id as it is.
  JSON.stringify(call.args[0].input).toLowerCase().includes(workOrderId.toLowerCase());

/** Writes of the work order sent outside a transaction: a half-written change would show here. */
const looseWrites = () =>
  [
    ...dynamodb.commandCalls(PutCommand),
    ...dynamodb.commandCalls(UpdateCommand),
    ...dynamodb.commandCalls(DeleteCommand),
  ].filter(aboutTheWorkOrder);
const readsOfTheWorkOrder = () => dynamodb.commandCalls(GetCommand).filter(aboutTheWorkOrder);

const problemOf = (response: APIGatewayProxyStructuredResultV2) =>
  JSON.parse(String(response.body)) as { status: number; title: string; detail: string; type: string };

describe('DynamoDB faults under the API (aws-sdk-client-mock on the document client)', () => {
  beforeEach(() => {
    dynamodb.reset();
    eventBridge.reset();
    stepFunctions.reset();
    dynamodb.on(GetCommand).resolves({});
    dynamodb.on(GetCommand, { Key: workOrderKey }).resolves({ Item: storedItem() });
    dynamodb.on(QueryCommand).resolves({ Items: [] });
    dynamodb.on(TransactWriteCommand).resolves({});
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  });

  afterAll(() => {
    dynamodb.restore();
    eventBridge.restore();
    stepFunctions.restore();
  });

  it('when nothing fails, the hold is written as one transaction and its event published (the baseline)', async () => {
    // Act
    const response = await hold();

    // Assert
    expect(response.statusCode).toBe(200);
    expect(dynamodb.commandCalls(TransactWriteCommand)).toHaveLength(1);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it.each([
    { fault: 'ProvisionedThroughputExceededException', make: throughputExceeded },
    { fault: 'ThrottlingException', make: throttled },
    { fault: 'InternalServerError (5xx)', make: internalError },
  ])(
    'when the transaction fails with $fault after the SDK retries, it answers 503 problem+json, writes nothing else and tells no one',
    async ({ make }) => {
      // Arrange
      dynamodb.on(TransactWriteCommand).callsFake(injected(make));

      // Act
      const response = await hold();

      // Assert
      expect(response.statusCode).toBe(503);
      expect(response.headers?.['content-type']).toBe('application/problem+json');
      expect(problemOf(response)).toMatchObject({
        status: 503,
        title: 'Service unavailable',
        type: 'https://errors.field-service.dev/service-unavailable',
      });
      expect(problemOf(response).detail).not.toMatch(/throughput|internal|rate/i);
      expect(dynamodb.commandCalls(TransactWriteCommand)).toHaveLength(1);
      expect(looseWrites()).toEqual([]);
      expect(eventBridge.commandCalls(PutEventsCommand)).toEqual([]);
      expect(stepFunctions.calls()).toEqual([]);
    },
  );

  it('when reading the work order is throttled, it answers 503 and attempts no write', async () => {
    // Arrange
    dynamodb.on(GetCommand, { Key: workOrderKey }).callsFake(injected(throughputExceeded));

    // Act
    const response = await hold();

    // Assert
    expect(response.statusCode).toBe(503);
    expect(dynamodb.commandCalls(TransactWriteCommand)).toEqual([]);
    expect(looseWrites()).toEqual([]);
  });

  it('when DynamoDB cancels the transaction twice for throttling on one item, it is sent again and the hold is written once', async () => {
    // Arrange
    dynamodb
      .on(TransactWriteCommand)
      .callsFakeOnce(injected(cancelled('None', 'ThrottlingError')))
      .callsFakeOnce(injected(cancelled('TransactionConflict', 'None')))
      .resolves({});

    // Act
    const response = await hold();

    // Assert
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(String(response.body))).toMatchObject({ status: 'on_hold', version: 5 });
    expect(dynamodb.commandCalls(TransactWriteCommand)).toHaveLength(3);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('when DynamoDB keeps cancelling the transaction for throttling, it answers 503, not a conflict, and nothing is written', async () => {
    // Arrange
    dynamodb.on(TransactWriteCommand).callsFake(injected(cancelled('None', 'ThrottlingError')));

    // Act
    const response = await hold();

    // Assert
    expect(response.statusCode).toBe(503);
    expect(problemOf(response).title).toBe('Service unavailable');
    expect(looseWrites()).toEqual([]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toEqual([]);
  });

  it('when the transaction is cancelled by its condition (someone else changed the work order), it reads again and answers a clean 409 once it keeps changing', async () => {
    // Arrange
    dynamodb.on(TransactWriteCommand).callsFake(injected(cancelled('ConditionalCheckFailed', 'None')));

    // Act
    const response = await hold();

    // Assert
    expect(response.statusCode).toBe(409);
    expect(problemOf(response).detail).toBe('The work order kept changing; try again');
    // Each attempt reads the work order again before writing.
    expect(dynamodb.commandCalls(TransactWriteCommand)).toHaveLength(5);
    expect(readsOfTheWorkOrder()).toHaveLength(5);
  });

  it('when a workflow step’s read is throttled past the SDK retries, the task fails as WorkOrder.Transient, which the state machine retries', async () => {
    // Arrange
    dynamodb.on(GetCommand, { Key: workOrderKey }).callsFake(injected(throughputExceeded));

    // Act
    const failure = await failureOf(stepsTask, { step: 'SendConfirmation', tenantId, workOrderId });

    // Assert
    expect(failure).toMatchObject({ name: 'WorkOrder.Transient' });
    expect(looseWrites()).toEqual([]);
  });

  it('when a waiting state cannot store its token for a 5xx, the task fails as WorkOrder.Transient and no callback is sent', async () => {
    // Arrange
    dynamodb.on(UpdateCommand).callsFake(injected(internalError));

    // Act
    const failure = await failureOf(awaitStageTask, {
      taskToken: 'token-1',
      tenantId,
      workOrderId,
      state: 'AwaitFieldWork',
      waitsWhile: ['dispatched'],
      proceedsWhen: ['completed'],
    });

    // Assert
    expect(failure).toMatchObject({ name: 'WorkOrder.Transient' });
    expect(stepFunctions.calls()).toEqual([]);
  });

  it('when a workflow step fails for something other than load, the error reaches the Catch-all as it is', async () => {
    // Arrange
    dynamodb.on(GetCommand, { Key: workOrderKey }).resolves({});

    // Act
    const failure = await failureOf(stepsTask, { step: 'SendConfirmation', tenantId, workOrderId });

    // Assert
    expect(failure).toMatchObject({ name: 'WorkOrder.NotFound' });
  });

  it('when a note’s transaction keeps being cancelled for throttling, it answers 503 rather than claiming the work order takes no notes', async () => {
    // Arrange
    dynamodb.on(TransactWriteCommand).callsFake(injected(cancelled('None', 'ThrottlingError', 'None')));

    // Act
    const response = await addNote();

    // Assert
    expect(response.statusCode).toBe(503);
    expect(looseWrites()).toEqual([]);
  });

  it('when a note’s transaction is cancelled once for a conflicting transaction, the note is kept', async () => {
    // Arrange
    dynamodb
      .on(TransactWriteCommand)
      .callsFakeOnce(injected(cancelled('None', 'TransactionConflict', 'None')))
      .resolves({});

    // Act
    const response = await addNote();

    // Assert
    expect(response.statusCode).toBe(201);
    expect(dynamodb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });
});

/** DynamoDB's answers over HTTP, as the SDK parses them: an error by its type, or an item. */
function dynamoDbAnswer(statusCode: number, body: Record<string, unknown>) {
  return {
    response: {
      statusCode,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'req-1' },
      body: Readable.from([Buffer.from(JSON.stringify(body))]),
    },
  };
}
const errorOfType = (type: string, status = 400) =>
  dynamoDbAnswer(status, { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: type });

/** A request handler that fails the first `failures` calls with `fault`, then answers the stored item. */
function failingHandler(fault: () => ReturnType<typeof dynamoDbAnswer>, failures: number) {
  const handler = {
    calls: 0,
    handle: async () => {
      handler.calls += 1;
      if (handler.calls <= failures) {
        figures.faultsInjected += 1;
        return fault();
      }
      return dynamoDbAnswer(200, { Item: marshall(storedItem(), { removeUndefinedValues: true }) });
    },
  };
  return handler;
}

const storeOver = (requestHandler: ReturnType<typeof failingHandler>) =>
  new DynamoWorkOrderStore(
    createEntities(createDocumentClient({ requestHandler: requestHandler as never }), table),
  );

describe('the DynamoDB client the stores use (the SDK over a failing request handler)', () => {
  beforeAll(() => {
    // From here on the document client is the real one, down to the HTTP request.
    dynamodb.restore();
  });

  it('when built, it makes five attempts in the standard retry mode', async () => {
    // Act
    const { config } = createDocumentClient();

    // Assert
    expect(await config.maxAttempts()).toBe(5);
    const mode = config.retryMode;
    expect(typeof mode === 'function' ? await mode() : mode).toBe('standard');
  });

  it.each([
    {
      fault: 'ProvisionedThroughputExceededException',
      answer: () => errorOfType('ProvisionedThroughputExceededException'),
    },
    { fault: 'ThrottlingException', answer: () => errorOfType('ThrottlingException') },
    { fault: 'InternalServerError', answer: () => errorOfType('InternalServerError', 500) },
  ])('when DynamoDB answers $fault twice, the SDK retries and the work order is read', async ({ answer }) => {
    // Arrange
    const requestHandler = failingHandler(answer, 2);

    // Act
    const workOrder = await storeOver(requestHandler).get(tenantId, workOrderId);

    // Assert
    expect(workOrder).toMatchObject({ workOrderId, status: 'dispatched', version: 4 });
    expect(requestHandler.calls).toBe(3);
  });

  it('when DynamoDB keeps failing with a 5xx, the fifth attempt’s error surfaces as transient, which the API answers 503', async () => {
    // Arrange
    const requestHandler = failingHandler(() => errorOfType('InternalServerError', 500), 10);

    // Act
    const failure = await storeOver(requestHandler)
      .get(tenantId, workOrderId)
      .catch((error: unknown) => error);

    // Assert
    expect(requestHandler.calls).toBe(5);
    expect(isTransient(failure)).toBe(true);
    expect(toProblem(failure)).toMatchObject({ status: 503, title: 'Service unavailable' });
  });

  it('when DynamoDB refuses the request as invalid, it is not retried and not called transient', async () => {
    // Arrange
    const requestHandler = failingHandler(() => errorOfType('ValidationException'), 10);

    // Act
    const failure = await storeOver(requestHandler)
      .get(tenantId, workOrderId)
      .catch((error: unknown) => error);

    // Assert
    expect(requestHandler.calls).toBe(1);
    expect(isTransient(failure)).toBe(false);
  });
});
