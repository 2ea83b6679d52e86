import type { Customer } from '../customers/customer.ts';
import type { MessageChannel } from './notification.ts';

/**
 * The channels the customer is told by: the preferred one when it can reach them, otherwise
 * every channel on file (SMS and email).
 */
export function channelsFor(customer: Customer | undefined): MessageChannel[] {
  if (!customer) return [];
  const onFile: MessageChannel[] = [
    ...(customer.phone ? ['sms' as const] : []),
    ...(customer.email ? ['email' as const] : []),
  ];
  const preferred = customer.contactPreferences?.channel;
  return preferred && onFile.includes(preferred) ? [preferred] : onFile;
}

/** The customer's phone for SMS, email address for email. */
export const addressFor = (customer: Customer, channel: MessageChannel): string | undefined =>
  channel === 'sms' ? customer.phone : customer.email;

/**
 * A phone or address as the office sees it in the message log: enough to tell which one it was,
 * never all of it (`+1•••••••4567`, `j•••@example.com`).
 */
export function maskAddress(channel: MessageChannel, address: string): string {
  if (channel === 'sms') {
    const country = address.startsWith('+1') ? '+1' : address.slice(0, 3);
    const last = address.slice(-4);
    return `${country}${'•'.repeat(Math.max(address.length - country.length - last.length, 0))}${last}`;
  }
  const [local = '', domain = ''] = address.split('@');
  return `${local.slice(0, 1)}•••@${domain}`;
}
