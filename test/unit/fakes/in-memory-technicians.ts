import type { PageRequest } from '../../../lambdas/domain/customers/customer-directory.ts';
import type { Technician, TechnicianStore } from '../../../lambdas/domain/scheduling/technicians.ts';
import type { Page } from '../../../lambdas/ports/work-order-store.ts';

type ConcurrentWrite = () => void;

/**
 * Technicians kept in a map keyed by tenant and id, as the table keys them: another tenant's
 * id is simply not there. Updates apply only at the version read, like the conditional put.
 */
export class InMemoryTechnicians implements TechnicianStore {
  private readonly technicians = new Map<string, Technician>();
  private readonly beforeUpdateWrites: ConcurrentWrite[] = [];
  updateAttempts = 0;

  private static key(tenantId: string, technicianId: string) {
    return `${tenantId}#${technicianId}`;
  }

  add(technician: Technician): this {
    this.technicians.set(InMemoryTechnicians.key(technician.tenantId, technician.technicianId), technician);
    return this;
  }

  /** Runs `write` just before the next update is applied, as a concurrent request would. */
  beforeNextUpdate(write: ConcurrentWrite): this {
    this.beforeUpdateWrites.push(write);
    return this;
  }

  async get(tenantId: string, technicianId: string): Promise<Technician | undefined> {
    return this.technicians.get(InMemoryTechnicians.key(tenantId, technicianId));
  }

  async create(technician: Technician): Promise<void> {
    this.add(technician);
  }

  async update(before: Technician, after: Technician): Promise<boolean> {
    this.updateAttempts += 1;
    this.beforeUpdateWrites.shift()?.();
    const current = await this.get(before.tenantId, before.technicianId);
    if (current?.version !== before.version) return false;
    this.add(after);
    return true;
  }

  async list(tenantId: string, filter: { skill?: string }, page: PageRequest): Promise<Page<Technician>> {
    const items = [...this.technicians.values()]
      .filter((technician) => technician.tenantId === tenantId)
      .filter((technician) => !filter.skill || technician.skills.includes(filter.skill))
      .sort((a, b) => a.technicianId.localeCompare(b.technicianId));
    return { items: items.slice(0, page.limit) };
  }
}
