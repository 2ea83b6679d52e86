/** A time-stamped note by the office or the technician. */
export interface WorkOrderNote {
  tenantId: string;
  workOrderId: string;
  noteId: string;
  text: string;
  authorId: string;
  authorRole: string;
  at: string;
}

/** Time one technician worked on the job. */
export interface LaborEntry {
  tenantId: string;
  workOrderId: string;
  laborId: string;
  technicianId: string;
  minutes: number;
  startedAt?: string;
  recordedBy: string;
  at: string;
}

/**
 * A part used on the job, with its cost and price captured when it was used (a later change
 * of the catalogue does not change a finished job's costing or invoice).
 */
export interface PartUsage {
  tenantId: string;
  workOrderId: string;
  usageId: string;
  partId: string;
  sku: string;
  name: string;
  quantity: number;
  /** Minor units of the tenant's currency, per unit. */
  unitCost: number;
  unitPrice: number;
  taxable: boolean;
  /** Where the part came from (a truck or the warehouse), when stock is kept. */
  stockLocationId?: string;
  technicianId?: string;
  recordedBy: string;
  at: string;
}
