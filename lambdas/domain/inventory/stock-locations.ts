import type { FieldProblem } from '../../shared/errors.ts';

/**
 * Where stock is kept: the tenant's warehouses and each technician's truck. A location's id
 * says which it is, so the truck of the technician on a job is known without a read:
 * - `warehouse:<code>` — `warehouse:main` is every tenant's main warehouse, there from the
 *   start; the office adds others with a code of its own (`warehouse:north`);
 * - `truck:<technicianId>` — every technician of the tenant has one.
 */
export type StockLocationKind = 'warehouse' | 'truck';

export interface StockLocation {
  locationId: string;
  kind: StockLocationKind;
  name: string;
  /** On a truck: whose it is. */
  technicianId?: string;
}

/** A warehouse the office added, as stored. */
export interface Warehouse {
  tenantId: string;
  locationId: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

export const mainWarehouseId = 'warehouse:main';
export const mainWarehouseName = 'Main warehouse';

export const warehouseCodePattern = /^[a-z0-9][a-z0-9-]{0,31}$/;
const technicianIdPattern = /^tec_[0-9A-Za-z]+$/;

export const truckOf = (technicianId: string): string => `truck:${technicianId}`;
export const warehouseOf = (code: string): string => `warehouse:${code}`;

export type ParsedStockLocation =
  | { kind: 'warehouse'; code: string }
  | { kind: 'truck'; technicianId: string };

/** What a location id names, or undefined when it is not one. */
export function parseStockLocationId(locationId: string): ParsedStockLocation | undefined {
  const [kind, rest, ...more] = locationId.split(':');
  if (rest === undefined || more.length > 0) return undefined;
  if (kind === 'warehouse' && warehouseCodePattern.test(rest)) return { kind, code: rest };
  if (kind === 'truck' && technicianIdPattern.test(rest)) return { kind, technicianId: rest };
  return undefined;
}

/** The problems of a new warehouse's code and name, named under `body`. */
export function warehouseProblems(input: { code: string; name: string }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!warehouseCodePattern.test(input.code)) {
    problems.push({
      field: 'body.code',
      message: 'must be 1 to 32 lower-case letters, digits and -, starting with a letter or digit',
    });
  } else if (warehouseOf(input.code) === mainWarehouseId) {
    problems.push({ field: 'body.code', message: 'main is the main warehouse, there already' });
  }
  if (input.name.trim() === '') problems.push({ field: 'body.name', message: 'must not be blank' });
  return problems;
}

/**
 * Where a part used on a job comes from when the request does not say: the truck of the
 * technician whose usage it is, else (the office recording for an unassigned job) the main warehouse.
 */
export const defaultSourceOf = (technicianId: string | undefined): string =>
  technicianId ? truckOf(technicianId) : mainWarehouseId;
