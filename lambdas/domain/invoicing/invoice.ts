import type { PartUsage } from '../execution/field-records.ts';
import { extendedAmount, netPartsUsed } from '../execution/parts-tally.ts';

export type InvoiceStatus = 'draft' | 'approved' | 'sent' | 'partially_paid' | 'paid' | 'void';

export interface InvoiceLine {
  /** What the line charges for; lines written before kinds existed have none (charges). */
  kind?: 'labor' | 'part' | 'fee' | 'trip' | 'discount';
  description: string;
  quantity: number;
  unit: string;
  /** Minor units of the tenant's currency. */
  unitPrice: number;
  amount: number;
  /** Whether sales tax applies to the line (absent on lines written before: not taxed). */
  taxable?: boolean;
  /** Why the line is priced as it is: a level or premium rate, an agreement, a discount's reason. */
  note?: string;
}

/** The office's discount on a draft: a percentage (basis points) or an amount (minor units). */
export type InvoiceDiscount =
  | { type: 'percent'; basisPoints: number; reason?: string }
  | { type: 'amount'; amount: number; reason?: string };

/** What a service agreement does to the customer's invoice (`AgreementCoverage`). */
export interface AgreementTerms {
  agreementId: string;
  /** Taken from every line charged, in basis points. */
  memberDiscountBasisPoints: number;
  /** An included visit: no labor and no trip charge. */
  coversVisit: boolean;
}

export interface Invoice {
  tenantId: string;
  workOrderId: string;
  invoiceId: string;
  customerId: string;
  status: InvoiceStatus;
  currency: string;
  lines: InvoiceLine[];
  subtotal: number;
  /** What tax was charged on: the sum of the taxable lines. */
  taxableSubtotal?: number;
  /** The rate applied: the service location's, else the tenant's. */
  taxRatePerMillion?: number;
  tax: number;
  total: number;
  amountPaid: number;
  dueDate: string;
  discount?: InvoiceDiscount;
  /** For the customer, set by the office while the invoice is a draft. */
  notes?: string;
  /** The agreement that applied when the work was priced. */
  agreement?: AgreementTerms;
  /** When the lines were last priced from the work and the rules. */
  pricedAt?: string;
  approvedBy?: string;
  sentAt?: string;
  /** The invoice PDF in the bucket (`tenants/{tenantId}/invoices/{invoiceId}.pdf`), written when it was sent. */
  pdfKey?: string;
  /** Set by the reminder job when it first finds the invoice unpaid past its due date. */
  overdueSince?: string;
  voided?: { at: string; by: string; reason: string };
  /** The draft that replaced this one when it was voided, and the invoice a replacement replaces. */
  replacedBy?: string;
  replaces?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Payment {
  tenantId: string;
  workOrderId: string;
  paymentId: string;
  invoiceId: string;
  amount: number;
  method: 'cash' | 'check' | 'card' | 'bank_transfer';
  reference?: string;
  recordedBy: string;
  at: string;
}

/**
 * One invoice per completed work order: its first invoice's id is the work order's ULID under
 * the invoice prefix, so GenerateInvoice run twice (or twice at once) writes one invoice. A
 * draft replacing a voided invoice gets an id of its own, allocated by the void.
 */
export const invoiceIdFor = (workOrderId: string): string => `inv_${workOrderId.slice('wo_'.length)}`;

/** The work order a first invoice bills, from its id (a replacement's is recorded on it instead). */
export const workOrderIdOf = (invoiceId: string): string => `wo_${invoiceId.slice('inv_'.length)}`;

/** Statuses in which the customer still owes the invoice. */
export const unpaidStatuses: readonly InvoiceStatus[] = ['approved', 'sent', 'partially_paid'];

/** Owed and past its due date: its due day lies before the tenant's local `today` (`YYYY-MM-DD`). */
export const isOverdue = (invoice: Pick<Invoice, 'status' | 'dueDate'>, today: string): boolean =>
  unpaidStatuses.includes(invoice.status) && invoice.dueDate < today;

/** Minutes at a rate per hour, rounded half up to the minor unit: labor as invoices and costing count it. */
export const laborAmount = (minutes: number, ratePerHour: number): number =>
  Math.round((minutes * ratePerHour) / 60);

export interface PricingInput {
  laborMinutes: number;
  /** Per hour, minor units. */
  laborRatePerHour: number;
  tripCharge: number;
  serviceName: string;
  /** The parts used and their corrections, at the price captured when each was used. */
  parts?: readonly PartUsage[];
}

/**
 * Prices completed work: labor by the hour (minutes × rate / 60, rounded half up to the minor
 * unit, once per line), each part used (net of its corrections) at the price captured when it
 * was used (quantity × unit price, rounded half up once per line) with its taxable flag, and the
 * trip charge. Totals are the sum of the lines, never typed in.
 */
export function priceWork(input: PricingInput): Pick<Invoice, 'lines' | 'subtotal' | 'tax' | 'total'> {
  const lines: InvoiceLine[] = [];
  if (input.laborMinutes > 0) {
    lines.push({
      description: `Labor: ${input.serviceName}`,
      quantity: input.laborMinutes / 60,
      unit: 'hour',
      unitPrice: input.laborRatePerHour,
      amount: laborAmount(input.laborMinutes, input.laborRatePerHour),
    });
  }
  for (const { usage, quantity } of netPartsUsed(input.parts ?? [])) {
    lines.push({
      description: `${usage.name} (${usage.sku})`,
      quantity,
      unit: usage.unit ?? 'each',
      unitPrice: usage.unitPrice,
      amount: extendedAmount(quantity, usage.unitPrice),
      taxable: usage.taxable,
    });
  }
  if (input.tripCharge > 0) {
    lines.push({
      description: 'Trip charge',
      quantity: 1,
      unit: 'visit',
      unitPrice: input.tripCharge,
      amount: input.tripCharge,
    });
  }
  const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  return { lines, subtotal, tax: 0, total: subtotal };
}
