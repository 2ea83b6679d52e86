export type InvoiceStatus = 'draft' | 'approved' | 'sent' | 'partially_paid' | 'paid' | 'void';

export interface InvoiceLine {
  description: string;
  quantity: number;
  unit: string;
  /** Minor units of the tenant's currency. */
  unitPrice: number;
  amount: number;
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

export interface PricingInput {
  laborMinutes: number;
  /** Per hour, minor units. */
  laborRatePerHour: number;
  tripCharge: number;
  serviceName: string;
}

/**
 * Prices completed work: labor by the hour (minutes × rate / 60, rounded half up to the minor
 * unit, once per line) and the trip charge. Totals are the sum of the lines, never typed in.
 */
export function priceWork(input: PricingInput): Pick<Invoice, 'lines' | 'subtotal' | 'tax' | 'total'> {
  const lines: InvoiceLine[] = [];
  if (input.laborMinutes > 0) {
    lines.push({
      description: `Labor: ${input.serviceName}`,
      quantity: input.laborMinutes / 60,
      unit: 'hour',
      unitPrice: input.laborRatePerHour,
      amount: Math.round((input.laborMinutes * input.laborRatePerHour) / 60),
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
