import type { Clock } from '../../ports/clock.ts';
import type { Customer } from '../customers/customer.ts';
import { normalizePhone } from '../customers/customer.ts';
import type { CustomerDirectory } from '../customers/customer-directory.ts';

/** The replies that stop texts, as carriers and SNS read them. */
export const optOutKeywords = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'] as const;
/** The replies that start them again. */
export const optInKeywords = ['START', 'UNSTOP'] as const;

export type SmsKeyword = 'opt_out' | 'opt_in';

/**
 * What a text asks for: the whole text is the keyword, in any case, with spaces and trailing
 * punctuation forgiven (`Stop.`); a sentence that merely contains one (`don't stop by`) asks for
 * nothing.
 */
export function smsKeywordOf(body: string): SmsKeyword | undefined {
  const word = body
    .trim()
    .replace(/[\s.!?,;:'"]+$/u, '')
    .replace(/^["']+/u, '')
    .toUpperCase();
  if ((optOutKeywords as readonly string[]).includes(word)) return 'opt_out';
  if ((optInKeywords as readonly string[]).includes(word)) return 'opt_in';
  return undefined;
}

export interface InboundSms {
  tenantId: string;
  /** The customer's phone, as the carrier gives it. */
  from: string;
  body: string;
}

export interface InboundSmsOutcome {
  keyword?: SmsKeyword;
  /** The customers whose SMS consent changed. */
  customerIds: string[];
}

/**
 * Acts on a text a customer sent to the tenant's number:
 * 1. `STOP` (`STOPALL`, `UNSUBSCRIBE`, `CANCEL`, `END`, `QUIT`) opts the phone out of texts;
 *    `START` (`UNSTOP`) opts it back in; anything else changes nothing.
 * 2. The customer holding the phone in the tenant is changed on the version read (read again
 *    if it changed meanwhile); one who is already where the text asks stays as is, so the
 *    time of the first `STOP` is kept.
 */
export async function receiveInboundSms(
  dependencies: {
    directory: Pick<CustomerDirectory, 'getTenant' | 'customerByContact' | 'updateCustomer'>;
    clock: Clock;
  },
  message: InboundSms,
): Promise<InboundSmsOutcome> {
  const keyword = smsKeywordOf(message.body);
  if (!keyword) return { customerIds: [] };
  const tenant = await dependencies.directory.getTenant(message.tenantId);
  const phone = tenant ? normalizePhone(message.from, tenant.country) : undefined;
  if (!phone) return { keyword, customerIds: [] };
  const changed: string[] = [];
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    const before = await dependencies.directory.customerByContact(message.tenantId, 'phone', phone);
    if (!before) break;
    const after = withSmsConsent(before, keyword, dependencies.clock.now().toISOString());
    if (!after) break;
    if (await dependencies.directory.updateCustomer(before, after)) {
      changed.push(after.customerId);
      break;
    }
  }
  return { keyword, customerIds: changed };
}

/** The customer opted out of (or back into) texts; undefined when they already are. */
function withSmsConsent(before: Customer, keyword: SmsKeyword, at: string): Customer | undefined {
  const optedOut = before.optedOut ?? {};
  if (keyword === 'opt_out' ? optedOut.sms : !optedOut.sms) return undefined;
  const { sms: _sms, ...others } = optedOut;
  const next = keyword === 'opt_out' ? { ...others, sms: at } : others;
  const { optedOut: _previous, ...rest } = before;
  return {
    ...rest,
    ...(Object.keys(next).length > 0 ? { optedOut: next } : {}),
    version: (before.version ?? 1) + 1,
    updatedAt: at,
  };
}
