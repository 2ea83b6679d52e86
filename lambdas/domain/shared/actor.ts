import type { Role } from '../../shared/roles.ts';

/** Who is acting: always taken from the verified token, never from the request body. */
export interface Actor {
  tenantId: string;
  /** The user's subject (Cognito `sub`) or a system name (`workflow`). */
  id: string;
  role: Role | 'system' | 'customer';
  /** Set for technicians: the technician record the user is. */
  technicianId?: string;
  /** Set for a customer acting through a signed link: the one work order the link is for. */
  workOrderId?: string;
}

export const workflowActor = (tenantId: string): Actor => ({ tenantId, id: 'workflow', role: 'system' });

/**
 * A customer acting through a signed link: known by the link (its id is the actor's id in the
 * audit trail), and able to see and act on the link's work order only.
 */
export const customerActor = (link: { tenantId: string; linkId: string; workOrderId: string }): Actor => ({
  tenantId: link.tenantId,
  id: link.linkId,
  role: 'customer',
  workOrderId: link.workOrderId,
});
