import { z } from 'zod';
import { linkPurposes } from '../domain/customer-pages/link-tokens.ts';
import { isoDateTime, prefixedId } from './common.ts';
import { signatureBody, summaryHash } from './sign-off.ts';

export const linkId = prefixedId('lnk');

/** A link's token as it stands in a page's path: `<kid>.<claims>.<mac>`, URL-safe. */
export const linkToken = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'must be a link token')
  .meta({ description: 'The signed token of a customer link' });

export const linkTokenParams = z.object({ token: linkToken }).strict();

export const workOrderLinkBody = z
  .object({
    purpose: z.enum(['view', 'sign']).meta({
      description:
        '`view`: the appointment page (any work order not cancelled); `sign`: the sign-off page (work in progress; a technician may issue only this one)',
    }),
  })
  .strict()
  .meta({ id: 'NewWorkOrderLink' });

export const invoiceLinkBody = z
  .object({ purpose: z.literal('pay').default('pay') })
  .strict()
  .meta({ id: 'NewInvoiceLink' });

export const revokeLinksBody = z
  .object({
    linkId: linkId.optional().meta({ description: 'One link; without it, every link still open' }),
  })
  .strict()
  .meta({ id: 'RevokeLinks' });

export const customerLinkView = z
  .object({
    linkId,
    purpose: z.enum(linkPurposes),
    workOrderId: z.string(),
    invoiceId: z.string().optional(),
    state: z.enum(['active', 'expired', 'revoked']),
    issuedAt: isoDateTime,
    issuedBy: z.string(),
    expiresAt: isoDateTime,
    revokedAt: isoDateTime.optional(),
    revokedBy: z.string().optional(),
  })
  .meta({ id: 'CustomerLink' });

export const issuedLinkView = customerLinkView
  .extend({
    url: z.string().meta({
      description: 'The page to send the customer: shown once, never stored (issue another if it is lost)',
    }),
  })
  .meta({ id: 'IssuedCustomerLink' });

export const customerLinksView = z.object({ items: z.array(customerLinkView) }).meta({ id: 'CustomerLinks' });

/** A form's field with nothing typed into it is absent, as a JSON body would leave it out. */
const blankAsAbsent = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

export const accessNotesForm = z
  .object({
    accessNotes: z
      .string()
      .trim()
      .max(2000, 'must be at most 2,000 characters')
      .meta({ description: 'Gate code, pets, where to park: for the technician (empty clears them)' }),
  })
  .meta({ id: 'AccessNotesForm' });

/** A chosen time, as the reschedule page offers it: `<start>~<technician id>`. */
export const rescheduleForm = z
  .object({
    slot: z
      .string({ error: 'choose a time' })
      .regex(
        /^\d{4}-\d{2}-\d{2}T[0-9:.]+(Z|[+-]\d{2}:\d{2})~tec_[0-9A-Za-z]{1,40}$/,
        'choose one of the times offered',
      )
      .meta({ description: 'One of the offered times: `<start>~<technician id>`' }),
  })
  .meta({ id: 'RescheduleForm' });

export const cancelForm = z
  .object({
    reason: z.preprocess(
      blankAsAbsent,
      z.string().trim().max(500, 'must be at most 500 characters').optional(),
    ),
  })
  .meta({ id: 'CancelForm' });

/** The strokes the signature pad writes into its hidden field, as JSON; none when only a name is typed. */
const drawnStrokes = z.preprocess((value) => {
  const text = blankAsAbsent(value);
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}, signatureBody.shape.strokes);

export const signOffForm = z
  .object({
    signerName: z.string({ error: 'type your name' }).trim().min(1, 'type your name').max(200),
    summaryHash,
    strokes: drawnStrokes,
    confirm: z.literal('yes', { error: 'tick the box to confirm the work' }),
  })
  .meta({ id: 'SignOffForm' });

export const emptyForm = z.object({}).meta({ id: 'EmptyForm' });
