/** A work order as completed: when, for whom, what, by whom. */
export interface CompletedWorkOrder {
  tenantId: string;
  workOrderId: string;
  completedAt: string;
  customerId: string;
  serviceTypeId?: string;
  technicianId?: string;
}

/** The work orders completed, by completion time. */
export interface CompletedWork {
  /** Those completed in [`from`, `to`) (ISO 8601 UTC instants), in completion order: one Query. */
  completedBetween(tenantId: string, from: string, to: string): Promise<CompletedWorkOrder[]>;
}
