import type { PageRequest } from '../../domain/customers/customer-directory.ts';
import type {
  Technician,
  TechnicianLevel,
  TechnicianStore,
  TimeOff,
  WorkingHours,
} from '../../domain/scheduling/technicians.ts';
import type { Page } from '../../ports/work-order-store.ts';
import { isConditionalCheckFailure } from './conditional-check.ts';
import type { Condition, Operations } from './conditions.ts';
import type { Entities } from './entities.ts';
import { pagedQuery } from './paging.ts';

/**
 * The item is still at the version read. Technicians written before versions existed (the demo
 * data, older records) have no `version` attribute and read as version 1.
 */
const stillAt =
  (version: number): Condition =>
  ({ version: attribute }, { eq, notExists }) => {
    const same = (eq as Operations[string])(attribute, version);
    return version === 1 ? `${(notExists as Operations[string])(attribute)} OR ${same}` : same;
  };

const hasSkill =
  (skill: string): Condition =>
  ({ skills }, { contains }) =>
    (contains as Operations[string])(skills, skill);

interface TechnicianItem {
  tenantId: string;
  technicianId: string;
  name: string;
  phone?: string;
  email?: string;
  skills?: string[];
  homeBase?: { latitude: number; longitude: number };
  workingHours?: WorkingHours;
  timeOff?: TimeOff[];
  costRatePerHour?: number;
  level?: TechnicianLevel;
  active?: boolean;
  version?: number;
  createdAt: string;
  updatedAt: string;
}

/** Fills in what items written before these attributes existed lack. */
function toTechnician(item: TechnicianItem): Technician {
  return {
    ...item,
    skills: [...(item.skills ?? [])],
    workingHours: item.workingHours ?? {},
    timeOff: item.timeOff ?? [],
    active: item.active ?? true,
    version: item.version ?? 1,
  };
}

// DynamoDB cannot store an empty set: a technician without skills has no `skills` attribute.
function toItem({ skills, ...technician }: Technician): TechnicianItem {
  return { ...technician, ...(skills.length > 0 ? { skills } : {}) };
}

/**
 * Technicians in the single table: one item per technician, read by id with a GetItem and
 * listed per tenant with one Query on the `byTenant` index (gsi1). Every change replaces the
 * item on the condition that it is still at the version read.
 */
export class DynamoTechnicianStore implements TechnicianStore {
  constructor(private readonly entities: Entities) {}

  async get(tenantId: string, technicianId: string): Promise<Technician | undefined> {
    const { data } = await this.entities.technician.get({ tenantId, technicianId }).go({ consistent: true });
    return data ? toTechnician(data as TechnicianItem) : undefined;
  }

  async create(technician: Technician): Promise<void> {
    await this.entities.technician.create(toItem(technician)).go();
  }

  async update(before: Technician, after: Technician): Promise<boolean> {
    try {
      await this.entities.technician
        .put(toItem(after))
        .where(stillAt(before.version) as never)
        .go();
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  async list(tenantId: string, filter: { skill?: string }, page: PageRequest): Promise<Page<Technician>> {
    const query = this.entities.technician.query.byTenant({ tenantId });
    const { skill } = filter;
    const result = await pagedQuery(page, (options) =>
      (skill ? query.where(hasSkill(skill) as never) : query).go(options),
    );
    return { ...result, items: result.items.map((item) => toTechnician(item as TechnicianItem)) };
  }
}
