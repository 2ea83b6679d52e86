import { ConflictError, type FieldProblem } from '../../shared/errors.ts';
import { quantityProblems, toThousandths } from '../parts/part.ts';

/**
 * What a tenant does when a part is taken from a location that does not hold enough of it:
 * `refuse` answers 409 and writes nothing; `flag` records it (the technician did use the part)
 * and the stock goes below zero, shown as negative until someone counts or restocks it.
 */
export const negativeStockRules = ['refuse', 'flag'] as const;
export type NegativeStockRule = (typeof negativeStockRules)[number];

/** One part's stock at one location, in the part's unit (to the thousandth). */
export interface StockLevel {
  tenantId: string;
  partId: string;
  locationId: string;
  /** Below zero only under the `flag` rule. */
  onHand: number;
  /** When a decrement leaves the stock at or below it, the part is reordered. */
  reorderPoint?: number;
  /** How much is ordered then. */
  reorderQuantity?: number;
  /** The low-stock alert raised for the stretch the stock is at or below the reorder point. */
  lowStockAlertId?: string;
  createdAt: string;
  updatedAt: string;
}

/** Why stock moved. */
export const movementKinds = [
  /** Used on a work order. */
  'use',
  /** Given back by a correction of a usage. */
  'return',
  'transfer_out',
  'transfer_in',
  /** Received from a supplier (a purchase order or a delivery entered by hand). */
  'receipt',
  /** A count, damage, loss or any correction by the office, with its reason. */
  'adjustment',
] as const;
export type MovementKind = (typeof movementKinds)[number];

/** The record of one change of one part's stock at one location: the audit trail of the stock. */
export interface StockMovement {
  tenantId: string;
  partId: string;
  locationId: string;
  movementId: string;
  kind: MovementKind;
  /** Signed, in the part's unit: negative when stock left the location. */
  quantity: number;
  reason?: string;
  workOrderId?: string;
  usageId?: string;
  purchaseOrderId?: string;
  /** On a transfer: the location at the other end. */
  otherLocationId?: string;
  actorId: string;
  actorRole: string;
  at: string;
}

/** A change of one location's stock with its movement record, written together. */
export interface StockChange {
  movement: StockMovement;
  /**
   * Under the `refuse` rule, a decrement is written only while at least this much is on hand
   * (the condition of the write, so two requests cannot both take the last unit).
   */
  whileOnHandAtLeast?: number;
}

/** Thousandths back to a quantity, without the drift of repeated float sums. */
export const fromThousandths = (thousandths: number): number => thousandths / 1000;

/** A quantity kept to the thousandth. */
export const exactQuantity = (quantity: number): number => fromThousandths(toThousandths(quantity));

/** The stock after a change: sums in thousandths. */
export const plus = (onHand: number, change: number): number =>
  fromThousandths(toThousandths(onHand) + toThousandths(change));

/**
 * The change that takes `quantity` out of (negative) or puts it into (positive) a location,
 * conditional on what is on hand when the tenant refuses negative stock.
 */
export function stockChange(movement: StockMovement, rule: NegativeStockRule): StockChange {
  return movement.quantity < 0 && rule === 'refuse'
    ? { movement, whileOnHandAtLeast: -movement.quantity }
    : { movement };
}

export class InsufficientStockError extends ConflictError {
  constructor(
    part: { partId: string; sku: string; unit?: string },
    locationId: string,
    onHand: number,
    requested: number,
  ) {
    const unit = part.unit ? ` ${part.unit}` : '';
    super(
      `Not enough ${part.sku} at ${locationId}: ${onHand}${unit} on hand, ${requested}${unit} asked for`,
      { partId: part.partId, sku: part.sku, locationId, onHand, requested },
    );
  }
}

/** Refuses, under the `refuse` rule, to take more than is on hand (409 naming part, location and stock). */
export function checkAvailable(
  rule: NegativeStockRule,
  part: { partId: string; sku: string; unit?: string },
  locationId: string,
  level: Pick<StockLevel, 'onHand'> | undefined,
  quantity: number,
): void {
  const onHand = level?.onHand ?? 0;
  if (rule === 'refuse' && toThousandths(onHand) < toThousandths(quantity)) {
    throw new InsufficientStockError(part, locationId, onHand, quantity);
  }
}

export const isNegative = (level: Pick<StockLevel, 'onHand'>): boolean => level.onHand < 0;

export const isAtOrBelowReorderPoint = (level: Pick<StockLevel, 'onHand' | 'reorderPoint'>): boolean =>
  level.reorderPoint !== undefined && toThousandths(level.onHand) <= toThousandths(level.reorderPoint);

/**
 * What a stock level calls for after it moved: `raise` a low-stock alert when it is at or
 * below its reorder point and none is open for this stretch (the decrement that crosses the
 * point, before > point >= after, is the first to find it so); `close` the open alert when the
 * stock is back above the point (or the point was removed); else nothing. One alert per stretch
 * below the point, however many decrements follow.
 */
export function lowStockDecision(
  level: Pick<StockLevel, 'onHand' | 'reorderPoint' | 'reorderQuantity' | 'lowStockAlertId'>,
): 'raise' | 'close' | 'none' {
  const low = isAtOrBelowReorderPoint(level);
  if (low && level.lowStockAlertId === undefined && (level.reorderQuantity ?? 0) > 0) return 'raise';
  if (!low && level.lowStockAlertId !== undefined) return 'close';
  return 'none';
}

export interface ReorderRule {
  reorderPoint: number;
  reorderQuantity: number;
}

/**
 * The problems of a reorder rule in the part's unit: the point 0 or more, the quantity above 0,
 * both to the part's precision. Named under `body`.
 */
export function reorderRuleProblems(rule: ReorderRule, unit: string | undefined): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (rule.reorderPoint < 0) {
    problems.push({ field: 'body.reorderPoint', message: 'must be 0 or more' });
  } else if (rule.reorderPoint !== 0) {
    problems.push(...quantityProblems(rule.reorderPoint, unit, 'body.reorderPoint'));
  }
  problems.push(...quantityProblems(rule.reorderQuantity, unit, 'body.reorderQuantity'));
  return problems;
}

/** The problems of a signed stock adjustment: not zero, and of the part's precision when made positive. */
export function adjustmentProblems(
  quantity: number,
  unit: string | undefined,
  field: string,
): FieldProblem[] {
  if (!Number.isFinite(quantity) || quantity === 0) return [{ field, message: 'must not be 0' }];
  return quantityProblems(Math.abs(quantity), unit, field);
}

/**
 * The record of a part found at or below its reorder point at a location: raised once for the
 * stretch below the point (with the purchase order the part went on), closed when the stock is
 * back above it.
 */
export interface LowStockAlert {
  tenantId: string;
  alertId: string;
  partId: string;
  sku: string;
  name: string;
  locationId: string;
  /** What was on hand when it was raised. */
  onHand: number;
  reorderPoint: number;
  reorderQuantity: number;
  supplier?: string;
  purchaseOrderId?: string;
  status: 'open' | 'closed';
  raisedAt: string;
  closedAt?: string;
}
