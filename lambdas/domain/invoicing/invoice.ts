import type { PartUsage } from '../execution/field-records.ts';
import { extendedAmount, netPartsUsed } from '../execution/parts-tally.ts';

export type InvoiceStatus = 'draft' | 'approved' | 'sent' | 'partially_paid' | 'paid' | 'void';

export interface InvoiceLine {
  description: string;
  quantity: number;
  unit: string;
  /** Minor units of the tenant's currency. */
  unitPrice: number;
  amount: number;
  /** On parts lines: whether sales tax applies to the line. */
  taxable?: boolean;
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
  tax: number;
  total: number;
  amountPaid: number;
  dueDate: string;
  approvedBy?: string;
  sentAt?: string;
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

/** One invoice per work order: its id is the work order's ULID under the invoice prefix. */
export const invoiceIdFor = (workOrderId: string): string => `inv_${workOrderId.slice('wo_'.length)}`;

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
