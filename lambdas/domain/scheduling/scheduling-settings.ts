import type { Clock } from '../../ports/clock.ts';
import { type FieldProblem, ForbiddenError, ValidationError } from '../../shared/errors.ts';
import type { Tenant, TimeRange } from '../customers/customer.ts';
import type { Actor } from '../shared/actor.ts';
import { isLocalTime } from './local-time.ts';

/** How a tenant offers times to its customers and how its technicians get around. */
export interface SchedulingSettings {
  /**
   * Arrival windows promised to customers (`08:00–12:00`, `12:00–16:00`), local times in the
   * tenant's time zone, in start order. None: customers are offered exact start times.
   */
  arrivalWindows: TimeRange[];
  /** The spacing of exact start times offered when there are no arrival windows: 15, 30 or 60. */
  slotStepMinutes: number;
  /** The average driving speed travel times are estimated at, km/h. */
  averageSpeedKmh: number;
}

export const defaultSchedulingSettings: SchedulingSettings = {
  arrivalWindows: [],
  slotStepMinutes: 30,
  averageSpeedKmh: 40,
};

/** The tenant's settings with the defaults for what it has not set. */
export const schedulingSettingsOf = (tenant: Pick<Tenant, 'scheduling'> | undefined): SchedulingSettings => ({
  ...defaultSchedulingSettings,
  ...(tenant?.scheduling ?? {}),
});

const steps = [15, 30, 60];

/** The problems of settings as given; fields named under `body`. */
export function schedulingSettingsProblems(settings: Partial<SchedulingSettings>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const windows = settings.arrivalWindows ?? [];
  windows.forEach(({ start, end }, index) => {
    const field = `body.arrivalWindows.${index}`;
    if (!isLocalTime(start))
      problems.push({ field: `${field}.start`, message: 'must be a local time, HH:mm' });
    if (!isLocalTime(end)) problems.push({ field: `${field}.end`, message: 'must be a local time, HH:mm' });
    else if (isLocalTime(start) && end <= start) {
      problems.push({ field: `${field}.end`, message: 'must be after the start' });
    }
  });
  const sorted = [...windows].map((window, index) => ({ ...window, index }));
  sorted.sort((a, b) => a.start.localeCompare(b.start));
  for (let position = 1; position < sorted.length; position++) {
    const previous = sorted[position - 1];
    const current = sorted[position];
    if (previous && current && current.start < previous.end) {
      problems.push({
        field: `body.arrivalWindows.${current.index}.start`,
        message: `overlaps the window ${previous.start}–${previous.end}`,
      });
    }
  }
  if (settings.slotStepMinutes !== undefined && !steps.includes(settings.slotStepMinutes)) {
    problems.push({ field: 'body.slotStepMinutes', message: 'must be 15, 30 or 60' });
  }
  if (
    settings.averageSpeedKmh !== undefined &&
    !(
      Number.isFinite(settings.averageSpeedKmh) &&
      settings.averageSpeedKmh >= 5 &&
      settings.averageSpeedKmh <= 120
    )
  ) {
    problems.push({ field: 'body.averageSpeedKmh', message: 'must be between 5 and 120 km/h' });
  }
  return problems;
}

export interface SchedulingSettingsStore {
  getTenant(tenantId: string): Promise<Tenant | undefined>;
  /** Replaces the tenant's scheduling settings. */
  saveSchedulingSettings(tenantId: string, settings: SchedulingSettings, at: string): Promise<void>;
}

export async function getSchedulingSettings(
  store: Pick<SchedulingSettingsStore, 'getTenant'>,
  actor: Actor,
): Promise<SchedulingSettings> {
  const tenant = await store.getTenant(actor.tenantId);
  if (!tenant) throw new ForbiddenError('This tenant is not provisioned');
  return schedulingSettingsOf(tenant);
}

/**
 * Changes the tenant's scheduling settings: what is given replaces what was set, the rest is kept.
 * Windows are kept in start order. 400 naming the field for anything out of range.
 */
export async function updateSchedulingSettings(
  dependencies: { settings: SchedulingSettingsStore; clock: Clock },
  actor: Actor,
  changes: Partial<SchedulingSettings>,
): Promise<SchedulingSettings> {
  const problems = schedulingSettingsProblems(changes);
  if (problems.length > 0) throw new ValidationError(problems);
  const current = await getSchedulingSettings(dependencies.settings, actor);
  const next: SchedulingSettings = {
    ...current,
    ...changes,
    arrivalWindows: [...(changes.arrivalWindows ?? current.arrivalWindows)]
      .map(({ start, end }) => ({ start, end }))
      .sort((a, b) => a.start.localeCompare(b.start)),
  };
  await dependencies.settings.saveSchedulingSettings(
    actor.tenantId,
    next,
    dependencies.clock.now().toISOString(),
  );
  return next;
}
