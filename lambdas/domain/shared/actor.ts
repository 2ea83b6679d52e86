import type { Role } from '../../shared/roles.ts';

/** Who is acting: always taken from the verified token, never from the request body. */
export interface Actor {
  tenantId: string;
  /** The user's subject (Cognito `sub`) or a system name (`workflow`). */
  id: string;
  role: Role | 'system';
  /** Set for technicians: the technician record the user is. */
  technicianId?: string;
}

export const workflowActor = (tenantId: string): Actor => ({ tenantId, id: 'workflow', role: 'system' });
