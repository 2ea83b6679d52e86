/**
 * Errors a workflow step raises; their names are the `Error` values the state machine's
 * Retry and Catch blocks match.
 */
export class WorkflowStepError extends Error {
  constructor(
    name: 'WorkOrder.NotFound' | 'WorkOrder.Transient' | 'WorkOrder.NeedsAttention' | 'WorkOrder.Cancelled',
    message: string,
  ) {
    super(message);
    this.name = name;
  }
}

export const cancelledError = 'WorkOrder.Cancelled';
export const rescheduledError = 'WorkOrder.Rescheduled';
/** An invoice awaiting payment was voided: the execution goes back to awaiting approval of its replacement. */
export const invoiceVoidedError = 'WorkOrder.InvoiceVoided';
