import { AppError, ServiceUnavailableError } from './errors.ts';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

const transientAwsErrors = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  // A write that met a transaction in progress on its item: nothing was written.
  'TransactionConflictException',
]);

/**
 * True for errors worth a 503 and a retry by the client: throttling, AWS-side faults and a
 * dependency found busy. Looked for along the causes too, since ElectroDB wraps the SDK's error.
 */
export function isTransient(error: unknown): boolean {
  let current: unknown = error;
  // A few links are enough (ElectroDB adds one); a cause chain that loops ends here too.
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1, current = current.cause) {
    if (current instanceof ServiceUnavailableError) return true;
    const fault = (current as { $fault?: string }).$fault;
    if (transientAwsErrors.has(current.name) || fault === 'server') return true;
  }
  return false;
}

/**
 * The one mapper from an error to a problem document. Known errors keep their status and
 * details; anything else is reported without internals (no message, no stack).
 */
export function toProblem(error: unknown, instance?: string): ProblemDocument {
  const known =
    error instanceof AppError
      ? error
      : isTransient(error)
        ? new ServiceUnavailableError('A dependency is busy; retry shortly')
        : undefined;
  if (known) {
    // Extensions come first: they can never overwrite the members RFC 9457 defines.
    return {
      ...known.extensions,
      type: known.type,
      title: known.title,
      status: known.status,
      detail: known.message,
      ...(instance ? { instance } : {}),
    };
  }
  return {
    type: 'https://errors.field-service.dev/internal-error',
    title: 'Internal error',
    status: 500,
    detail: 'The request failed unexpectedly; it has been logged.',
    ...(instance ? { instance } : {}),
  };
}
