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
