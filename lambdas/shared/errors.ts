/**
 * Typed errors that the one error mapper (`problem.ts`) turns into RFC 9457 responses.
 * Use cases throw these; anything else is an unexpected failure and becomes a generic 500/503.
 */
export interface FieldProblem {
  /** A JSON-pointer-like path into the request (`body.customer.phone`, `path.id`, `header.idempotency-key`). */
  field: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  readonly extensions: Record<string, unknown>;

  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.extensions = extensions;
  }

  get type(): string {
    return `https://errors.field-service.dev/${this.title.toLowerCase().replaceAll(' ', '-')}`;
  }
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly title = 'Invalid request';
  constructor(
    readonly errors: FieldProblem[],
    message = `Invalid ${errors.map((error) => error.field).join(', ')}`,
  ) {
    super(message, { errors });
  }
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly title = 'Unauthorized';
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly title = 'Forbidden';
}

/** Also what another tenant's id yields: their data is invisible, not forbidden. */
export class NotFoundError extends AppError {
  readonly status = 404;
  readonly title = 'Not found';
  constructor(resource: string, id: string) {
    super(`${resource} ${id} was not found`, { resource, id });
  }
}

export class RouteNotFoundError extends AppError {
  readonly status = 404;
  readonly title = 'Not found';
}

export class MethodNotAllowedError extends AppError {
  readonly status = 405;
  readonly title = 'Method not allowed';
}

/** Wrong state or stale version: lists what is allowed now. */
export class ConflictError extends AppError {
  readonly status = 409;
  readonly title = 'Conflict';
}

export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly title = 'Payload too large';
}

export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
  readonly title = 'Unsupported media type';
}

/** A stage gate refused, or an idempotency key was reused with another request. */
export class UnprocessableError extends AppError {
  readonly status = 422;
  readonly title = 'Unprocessable request';
}

/** The tenant made as many writes this minute as it may: retry after `retryAfterSeconds` (the Retry-After header). */
export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly title = 'Too many requests';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    extensions: Record<string, unknown> = {},
  ) {
    super(message, { ...extensions, retryAfterSeconds });
  }
}

/** A dependency (DynamoDB, Step Functions) stayed unavailable after retries; safe to retry. */
export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  readonly title = 'Service unavailable';
}
