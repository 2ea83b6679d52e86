import { ConflictError, type FieldProblem, ValidationError } from '../../shared/errors.ts';
import { type Part, quantityProblems, toThousandths } from '../parts/part.ts';
import { exactQuantity, fromThousandths } from './stock.ts';

/**
 * A purchase order goes `draft → sent → received`, and may be `cancelled` while draft or sent.
 * A sent order receives in one delivery or several: it is `received` once every line is.
 */
export const purchaseOrderStatuses = ['draft', 'sent', 'received', 'cancelled'] as const;
export type PurchaseOrderStatus = (typeof purchaseOrderStatuses)[number];

/** Orders still expected: a part on one of them is on order, and is not ordered again. */
export const openPurchaseOrderStatuses: readonly PurchaseOrderStatus[] = ['draft', 'sent'];

const nextStatuses: Record<PurchaseOrderStatus, readonly PurchaseOrderStatus[]> = {
  draft: ['sent', 'cancelled'],
  sent: ['received', 'cancelled'],
  received: [],
  cancelled: [],
};

/**
 * Lines one order holds at most: receiving it writes each line's stock, its movement and its
 * on-order item in one transaction, which DynamoDB caps at 100 items.
 */
export const maxPurchaseOrderLines = 30;

export interface PurchaseOrderLine {
  partId: string;
  sku: string;
  name: string;
  unit?: string;
  /** In the part's unit. */
  quantity: number;
  /** Minor units per unit: the part's cost when the line was added. */
  unitCost: number;
  receivedQuantity: number;
}

export interface PurchaseOrder {
  tenantId: string;
  purchaseOrderId: string;
  /** As written on the part; absent: parts with no supplier on record, for the office to place. */
  supplier?: string;
  status: PurchaseOrderStatus;
  lines: PurchaseOrderLine[];
  /** Where the goods go when received, unless the receipt says otherwise. */
  deliverTo: string;
  currency: string;
  /** Minor units: each line's quantity times its unit cost, rounded per line. */
  total: number;
  /** `inventory` when raised at a reorder point, else the user who wrote it. */
  raisedBy: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  sentAt?: string;
  receivedAt?: string;
  cancelledAt?: string;
  cancelReason?: string;
}

/** Who raised a purchase order at a reorder point. */
export const reorderActorId = 'inventory';

/** Parts with no supplier share one draft at a time, under this key. */
export const noSupplierKey = '-';

/** One draft per supplier: the name trimmed, lower-cased, spaces collapsed (`ACME Supply` = `acme  supply`). */
export const supplierKeyOf = (supplier: string | undefined): string => {
  const key = supplier?.trim().toLowerCase().replace(/\s+/g, ' ');
  return key ? key : noSupplierKey;
};

export const lineTotal = (line: Pick<PurchaseOrderLine, 'quantity' | 'unitCost'>): number =>
  Math.round((toThousandths(line.quantity) * line.unitCost) / 1000);

export const totalOf = (lines: readonly PurchaseOrderLine[]): number =>
  lines.reduce((sum, line) => sum + lineTotal(line), 0);

export const outstandingOf = (line: PurchaseOrderLine): number =>
  fromThousandths(toThousandths(line.quantity) - toThousandths(line.receivedQuantity));

/** A line ordering `quantity` of the part at its cost now. */
export function lineFor(part: Part, quantity: number): PurchaseOrderLine {
  return {
    partId: part.partId,
    sku: part.sku,
    name: part.name,
    unit: part.unit,
    quantity: exactQuantity(quantity),
    unitCost: part.unitCost,
    receivedQuantity: 0,
  };
}

export function newDraft(input: {
  tenantId: string;
  purchaseOrderId: string;
  supplier?: string;
  lines: PurchaseOrderLine[];
  deliverTo: string;
  currency: string;
  raisedBy: string;
  at: string;
}): PurchaseOrder {
  const supplier = input.supplier?.trim();
  return {
    tenantId: input.tenantId,
    purchaseOrderId: input.purchaseOrderId,
    ...(supplier ? { supplier } : {}),
    status: 'draft',
    lines: input.lines,
    deliverTo: input.deliverTo,
    currency: input.currency,
    total: totalOf(input.lines),
    raisedBy: input.raisedBy,
    version: 1,
    createdAt: input.at,
    updatedAt: input.at,
  };
}

const notInStatus = (order: PurchaseOrder, action: string, allowedIn: readonly PurchaseOrderStatus[]) =>
  new ConflictError(`A ${order.status} purchase order cannot be ${action}`, {
    currentStatus: order.status,
    allowedIn,
  });

/** The draft with its lines replaced, at the next version (409 unless a draft). */
export function withLines(order: PurchaseOrder, lines: PurchaseOrderLine[], at: string): PurchaseOrder {
  if (order.status !== 'draft') throw notInStatus(order, 'edited', ['draft']);
  return { ...order, lines, total: totalOf(lines), version: order.version + 1, updatedAt: at };
}

/** A transition with no receipt: send a draft, cancel a draft or a sent order (409 otherwise). */
export function transition(
  order: PurchaseOrder,
  to: 'sent' | 'cancelled',
  at: string,
  reason?: string,
): PurchaseOrder {
  if (!nextStatuses[order.status].includes(to)) {
    const from = purchaseOrderStatuses.filter((status) => nextStatuses[status].includes(to));
    throw notInStatus(order, to, from);
  }
  if (to === 'sent' && order.lines.length === 0) {
    throw new ConflictError('A purchase order without lines cannot be sent', { currentStatus: order.status });
  }
  return {
    ...order,
    status: to,
    ...(to === 'sent' ? { sentAt: at } : { cancelledAt: at, ...(reason ? { cancelReason: reason } : {}) }),
    version: order.version + 1,
    updatedAt: at,
  };
}

export interface ReceiptLine {
  partId: string;
  quantity: number;
}

export interface Receipt {
  after: PurchaseOrder;
  /** What each line received now. */
  received: { line: PurchaseOrderLine; quantity: number }[];
}

/**
 * Receives a delivery on a sent order: the lines given (each part once, at most what is still
 * outstanding, 400 naming `body.lines.N…` otherwise), or without lines everything outstanding.
 * The order becomes `received` when nothing is outstanding any more.
 */
export function receive(order: PurchaseOrder, lines: ReceiptLine[] | undefined, at: string): Receipt {
  if (order.status !== 'sent') throw notInStatus(order, 'received', ['sent']);
  const wanted =
    lines ??
    order.lines
      .filter((line) => outstandingOf(line) > 0)
      .map((line) => ({ partId: line.partId, quantity: outstandingOf(line) }));
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  wanted.forEach((receipt, index) => {
    const field = `body.lines.${index}`;
    const line = order.lines.find((candidate) => candidate.partId === receipt.partId);
    if (!line) {
      problems.push({ field: `${field}.partId`, message: `no line for ${receipt.partId} on this order` });
      return;
    }
    if (seen.has(receipt.partId)) {
      problems.push({ field: `${field}.partId`, message: 'each part once' });
      return;
    }
    seen.add(receipt.partId);
    const quantityIssues = quantityProblems(receipt.quantity, line.unit, `${field}.quantity`);
    if (quantityIssues.length > 0) {
      problems.push(...quantityIssues);
      return;
    }
    const outstanding = outstandingOf(line);
    if (toThousandths(receipt.quantity) > toThousandths(outstanding)) {
      const unit = line.unit ? ` ${line.unit}` : '';
      problems.push({ field: `${field}.quantity`, message: `at most ${outstanding}${unit} is outstanding` });
    }
  });
  if (problems.length > 0) throw new ValidationError(problems);
  if (wanted.length === 0) {
    throw new ConflictError('Nothing is outstanding on this purchase order', { currentStatus: order.status });
  }
  const received: Receipt['received'] = [];
  const after = order.lines.map((line) => {
    const receipt = wanted.find((candidate) => candidate.partId === line.partId);
    if (!receipt) return line;
    const quantity = exactQuantity(receipt.quantity);
    const next = {
      ...line,
      receivedQuantity: fromThousandths(toThousandths(line.receivedQuantity) + toThousandths(quantity)),
    };
    received.push({ line: next, quantity });
    return next;
  });
  const complete = after.every((line) => outstandingOf(line) <= 0);
  return {
    received,
    after: {
      ...order,
      lines: after,
      ...(complete ? { status: 'received' as const, receivedAt: at } : {}),
      version: order.version + 1,
      updatedAt: at,
    },
  };
}
