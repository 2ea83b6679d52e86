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
  /** When the timer that measured it was stopped (absent for time entered as a duration). */
  endedAt?: string;
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
  /**
   * In the part's unit, to the thousandth. Negative on a correction: the quantity taken back
   * from the usage it corrects.
   */
  quantity: number;
  /** The part's unit when used (`each`, `ft`, `lb`…). */
  unit?: string;
  /** Minor units of the tenant's currency, per unit. */
  unitCost: number;
  unitPrice: number;
  taxable: boolean;
  /** On a correction: the usage it takes quantity back from, and why. */
  correctionOf?: string;
  reason?: string;
  /** On a corrected usage: the quantity its corrections took back so far. */
  correctedQuantity?: number;
  /** Where the part came from (a truck or the warehouse), when stock is kept. */
  stockLocationId?: string;
  technicianId?: string;
  recordedBy: string;
  at: string;
}
