import type { Equipment } from '../customers/customer.ts';

/** What a work order records about the warranty of the equipment it is about. */
export interface WarrantyCoverage {
  covered: boolean;
  equipmentId: string;
  /** The last covered day (`YYYY-MM-DD`); absent when the equipment has no warranty terms. */
  endsOn?: string;
}

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const dayMs = 24 * 60 * 60 * 1000;

const toDay = (epochMs: number): string => new Date(epochMs).toISOString().slice(0, 10);

function parseDay(day: string): { year: number; month: number; date: number } {
  const match = dayPattern.exec(day);
  if (!match) throw new RangeError(`Not a day: ${day}`);
  return { year: Number(match[1]), month: Number(match[2]) - 1, date: Number(match[3]) };
}

/**
 * The last covered day of the equipment's warranty: its stated end, or else the day before
 * the install date's anniversary `warrantyMonths` later (a 12-month warranty from 2024-03-15
 * covers through 2025-03-14; an anniversary that falls past the end of a shorter month is
 * that month's last day). Undefined when neither is known.
 */
export function warrantyEndsOn(
  equipment: Pick<Equipment, 'installedOn' | 'warrantyEndsOn' | 'warrantyMonths'>,
): string | undefined {
  if (equipment.warrantyEndsOn) return equipment.warrantyEndsOn;
  if (!equipment.installedOn || equipment.warrantyMonths === undefined) return undefined;
  const { year, month, date } = parseDay(equipment.installedOn);
  const firstOfTargetMonth = new Date(Date.UTC(year, month + equipment.warrantyMonths, 1));
  const targetYear = firstOfTargetMonth.getUTCFullYear();
  const targetMonth = firstOfTargetMonth.getUTCMonth();
  const daysInTargetMonth = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const anniversary = Date.UTC(targetYear, targetMonth, Math.min(date, daysInTargetMonth));
  return toDay(anniversary - dayMs);
}

/** The coverage on `day` (`YYYY-MM-DD`, local): covered through the last covered day, inclusive. */
export function warrantyCoverage(
  equipment: Pick<Equipment, 'equipmentId' | 'installedOn' | 'warrantyEndsOn' | 'warrantyMonths'>,
  day: string,
): WarrantyCoverage {
  const endsOn = warrantyEndsOn(equipment);
  // Days in `YYYY-MM-DD` compare correctly as strings.
  const installed = equipment.installedOn === undefined || equipment.installedOn <= day;
  return {
    covered: endsOn !== undefined && installed && day <= endsOn,
    equipmentId: equipment.equipmentId,
    ...(endsOn ? { endsOn } : {}),
  };
}

/** The local day (`YYYY-MM-DD`) of an instant in an IANA time zone. */
export function localDay(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const part = (type: string) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}
