import type { Entities } from '../../lambdas/adapters/dynamodb/entities.ts';
import { aTenant, type TenantFixture } from '../fixtures/tenants.ts';
import { tokenFor } from './local-platform.ts';

/** One fresh tenant's office and field people, with their tokens. */
export interface Crew {
  tenant: TenantFixture;
  admin: string;
  dispatcher: string;
  /** The fixture's qualified technician. */
  technician: string;
  /** The fixture's technician without the service type's skills. */
  otherTechnician: string;
}

export async function aCrew(entities: Entities): Promise<Crew> {
  const tenant = await aTenant(entities);
  const [admin, dispatcher, technician, otherTechnician] = await Promise.all([
    tokenFor('admin', tenant.tenantId),
    tokenFor('dispatcher', tenant.tenantId),
    tokenFor('technician', tenant.tenantId, { technicianId: tenant.technicianId }),
    tokenFor('technician', tenant.tenantId, { technicianId: tenant.unqualifiedTechnicianId }),
  ]);
  return { tenant, admin, dispatcher, technician, otherTechnician };
}

/**
 * Visit slots no other work order taken from the same source has: two hours apart from
 * tomorrow 13:00Z, six a day. 13:00Z is 07:00 or 08:00 in Chicago, inside the fixture
 * technicians' 06:00–20:00 day.
 */
export function freeSlots(): () => string {
  const tomorrowMorning = new Date(Date.now() + 24 * 60 * 60 * 1000).setUTCHours(13, 0, 0, 0);
  let taken = 0;
  return () => {
    const hours = Math.floor(taken / 6) * 24 + (taken % 6) * 2;
    taken += 1;
    return new Date(tomorrowMorning + hours * 60 * 60 * 1000).toISOString();
  };
}
