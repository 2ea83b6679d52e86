import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  type AppError,
  ConflictError,
  ForbiddenError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  RouteNotFoundError,
  ServiceUnavailableError,
  UnauthorizedError,
  UnprocessableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../../lambdas/shared/errors.ts';
import { isTransient, toProblem } from '../../../lambdas/shared/problem.ts';

describe('toProblem', () => {
  describe('for the application errors', () => {
    const cases: { error: AppError; status: number; title: string; type: string }[] = [
      {
        error: new ValidationError([{ field: 'body.description', message: 'required' }]),
        status: 400,
        title: 'Invalid request',
        type: 'https://errors.field-service.dev/invalid-request',
      },
      {
        error: new UnauthorizedError('A valid bearer token is required'),
        status: 401,
        title: 'Unauthorized',
        type: 'https://errors.field-service.dev/unauthorized',
      },
      {
        error: new ForbiddenError('This action needs one of the roles: admin'),
        status: 403,
        title: 'Forbidden',
        type: 'https://errors.field-service.dev/forbidden',
      },
      {
        error: new NotFoundError('Work order', 'wo_1'),
        status: 404,
        title: 'Not found',
        type: 'https://errors.field-service.dev/not-found',
      },
      {
        error: new RouteNotFoundError('No route GET /v1/nothing'),
        status: 404,
        title: 'Not found',
        type: 'https://errors.field-service.dev/not-found',
      },
      {
        error: new MethodNotAllowedError('DELETE is not allowed here'),
        status: 405,
        title: 'Method not allowed',
        type: 'https://errors.field-service.dev/method-not-allowed',
      },
      {
        error: new ConflictError('The work order is already dispatched'),
        status: 409,
        title: 'Conflict',
        type: 'https://errors.field-service.dev/conflict',
      },
      {
        error: new PayloadTooLargeError('The body is larger than 1 MB'),
        status: 413,
        title: 'Payload too large',
        type: 'https://errors.field-service.dev/payload-too-large',
      },
      {
        error: new UnsupportedMediaTypeError('Send application/json'),
        status: 415,
        title: 'Unsupported media type',
        type: 'https://errors.field-service.dev/unsupported-media-type',
      },
      {
        error: new UnprocessableError('A signature is required to complete'),
        status: 422,
        title: 'Unprocessable request',
        type: 'https://errors.field-service.dev/unprocessable-request',
      },
      {
        error: new ServiceUnavailableError('The table is busy'),
        status: 503,
        title: 'Service unavailable',
        type: 'https://errors.field-service.dev/service-unavailable',
      },
    ];

    it.each(cases)(
      'when the error is a $error.name, it answers $status $title',
      ({ error, status, title, type }) => {
        // Act
        const problem = toProblem(error);

        // Assert
        expect(problem).toMatchObject({ status, title, type, detail: error.message });
      },
    );
  });

  it('when the error is a ValidationError, it lists the fields at fault under errors', () => {
    // Arrange
    const error = new ValidationError([
      { field: 'body.customer.phone', message: 'not a valid phone number for US' },
      { field: 'body.serviceTypeId', message: 'no such service type' },
    ]);

    // Act
    const problem = toProblem(error);

    // Assert
    expect(problem.errors).toEqual([
      { field: 'body.customer.phone', message: 'not a valid phone number for US' },
      { field: 'body.serviceTypeId', message: 'no such service type' },
    ]);
    expect(problem.detail).toContain('body.customer.phone');
    expect(problem.detail).toContain('body.serviceTypeId');
  });

  it('when the error is a NotFoundError, it names the resource and id', () => {
    // Arrange
    const error = new NotFoundError('Work order', 'wo_01JABC');

    // Act
    const problem = toProblem(error);

    // Assert
    expect(problem).toMatchObject({ resource: 'Work order', id: 'wo_01JABC' });
  });

  it('when an error carries extensions, it adds them beside the standard members', () => {
    // Arrange
    const error = new ConflictError('Cannot dispatch a new work order', { allowed: ['schedule', 'cancel'] });

    // Act
    const problem = toProblem(error);

    // Assert
    expect(problem).toMatchObject({ status: 409, allowed: ['schedule', 'cancel'] });
  });

  it('when given the request path, it reports it as the instance', () => {
    // Act
    const problem = toProblem(new ForbiddenError('No'), '/v1/work-orders');

    // Assert
    expect(problem.instance).toBe('/v1/work-orders');
  });

  it('when no request path is given, it has no instance member', () => {
    // Act
    const problem = toProblem(new ForbiddenError('No'));

    // Assert
    expect(problem).not.toHaveProperty('instance');
  });

  it('when the error is unexpected, it answers 500 without its message or stack', () => {
    // Arrange
    const error = new TypeError("Cannot read properties of undefined (reading 'secretConnectionString')");

    // Act
    const problem = toProblem(error, '/v1/work-orders');

    // Assert
    const serialized = JSON.stringify(problem);
    expect(problem).toMatchObject({ status: 500, title: 'Internal error', instance: '/v1/work-orders' });
    expect(serialized).not.toContain('secretConnectionString');
    expect(serialized).not.toContain('TypeError');
    // The stack's frames name this file: none of it may reach the client.
    expect(error.stack).toContain('problem.test.ts');
    expect(serialized).not.toContain('problem.test.ts');
  });

  it('when something other than an Error is thrown, it answers 500', () => {
    // Act
    const problem = toProblem('password=hunter2');

    // Assert
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toContain('hunter2');
  });

  it('when AWS throttles (ThrottlingException), it answers 503 without the AWS message', () => {
    // Arrange
    const error = Object.assign(new Error('Rate exceeded for arn:aws:states:us-east-1:123456789012'), {
      name: 'ThrottlingException',
    });

    // Act
    const problem = toProblem(error);

    // Assert
    expect(problem.status).toBe(503);
    expect(problem.title).toBe('Service unavailable');
    expect(JSON.stringify(problem)).not.toContain('123456789012');
  });

  it('when an AWS service reports a server fault, it answers 503', () => {
    // Arrange
    const error = Object.assign(new Error('We encountered an internal error'), {
      name: 'InternalFailure',
      $fault: 'server',
    });

    // Act
    const problem = toProblem(error);

    // Assert
    expect(problem.status).toBe(503);
  });

  it('when DynamoDB reports exceeded throughput, it answers 503', () => {
    // Arrange
    const error = new ProvisionedThroughputExceededException({
      message: 'The level of configured provisioned throughput for the table was exceeded',
      $metadata: {},
    });

    // Act
    const problem = toProblem(error);

    // Assert
    expect(problem.status).toBe(503);
  });
});

describe('isTransient', () => {
  it('when an AWS error is a client fault other than throttling, it is not transient', () => {
    // Arrange
    const error = Object.assign(new Error('One or more parameter values were invalid'), {
      name: 'ValidationException',
      $fault: 'client',
    });

    // Act
    const transient = isTransient(error);

    // Assert
    expect(transient).toBe(false);
  });

  it('when the thrown value only looks like a throttling error, it is not transient', () => {
    // Act
    const transient = isTransient({ name: 'ThrottlingException' });

    // Assert
    expect(transient).toBe(false);
  });
});

describe('AppError', () => {
  it('when constructed, its name is the concrete class name', () => {
    // Act
    const error = new UnprocessableError('Stage gate refused');

    // Assert
    expect(error.name).toBe('UnprocessableError');
    expect(error).toBeInstanceOf(Error);
  });

  it('when a ValidationError has no message, it builds one from the field names', () => {
    // Act
    const error = new ValidationError([
      { field: 'body.locationId', message: 'no such location for this customer' },
      { field: 'body.customerId', message: 'required' },
    ]);

    // Assert
    expect(error.message).toBe('Invalid body.locationId, body.customerId');
    expect(error.extensions).toEqual({ errors: error.errors });
  });
});
