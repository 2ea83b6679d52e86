import type { FieldProblem } from '../../shared/errors.ts';
import type { MessagePurpose, MessageTemplate, MessagingSettings } from './notification.ts';
import { messagePurposes } from './notification.ts';

/**
 * The values a template may name, as `{name}`. The messenger fills in the customer's and the
 * tenant's; the caller gives those of the purpose.
 */
export const placeholders = [
  'customerFirstName',
  'customerName',
  'tenantName',
  'date',
  'window',
  'service',
  'address',
  'technicianFirstName',
  'eta',
  'link',
  'invoiceNumber',
  'invoiceTotal',
  'dueDate',
  'note',
  'details',
] as const;

export type Placeholder = (typeof placeholders)[number];

/** What a placeholder reads as when the message has no value for it, so no sentence is left broken. */
const fallbacks: Partial<Record<Placeholder, string>> = {
  customerFirstName: 'there',
  customerName: 'there',
  technicianFirstName: 'your technician',
  service: 'service',
  date: 'the agreed day',
  window: 'the agreed time',
};

const optOutHint = 'Reply STOP to opt out.';

/**
 * The default texts. A part in square brackets is kept only when every placeholder in it has a
 * value (`[ It is due {dueDate}.]`), so optional details drop out cleanly.
 */
export const defaultTemplates: Record<MessagePurpose, MessageTemplate> = {
  confirmation: {
    sms: `Hi {customerFirstName}, {tenantName} has booked your {service} visit for {window}. The technician will call when on the way.[ {note}][ See or change it: {link}] ${optOutHint}`,
    emailSubject: 'Your {service} visit on {window}',
    emailBody:
      'Hi {customerFirstName},\n\n{tenantName} has booked your {service} visit for {window}.[\nAddress: {address}]\n\n' +
      'The technician will call when on the way.[ {note}][\n\n{details}][\n\nSee your appointment, add access notes, change or cancel it: {link}]\n\n' +
      'The attached calendar entry adds the visit to your calendar.\n\nThank you for choosing {tenantName}.',
  },
  reminder: {
    sms: `Hi {customerFirstName}, a reminder from {tenantName}: your {service} visit is {window}.[ {note}] ${optOutHint}`,
    emailSubject: 'Reminder: your {service} visit on {window}',
    emailBody:
      'Hi {customerFirstName},\n\na reminder that {tenantName} will visit for your {service} {window}.[\nAddress: {address}][\n\n{note}]' +
      '\n\nThank you for choosing {tenantName}.',
  },
  en_route: {
    sms: `Hi {customerFirstName}, {technicianFirstName} from {tenantName} is on the way[ and should arrive around {eta}].[ Track: {link}] ${optOutHint}`,
    emailSubject: '{tenantName}: your technician is on the way',
    emailBody:
      'Hi {customerFirstName},\n\n{technicianFirstName} from {tenantName} is on the way[ and should arrive around {eta}].[\n\nFollow the visit: {link}]' +
      '\n\nThank you for choosing {tenantName}.',
  },
  completion: {
    sms: `Hi {customerFirstName}, {tenantName} has completed your {service}.[ {note}][ Report: {link}] ${optOutHint}`,
    emailSubject: 'Your {service} is complete',
    emailBody:
      'Hi {customerFirstName},\n\n{tenantName} has completed your {service}.[\n\n{note}][\n\n{details}][\n\nYour completion report: {link}]' +
      '\n\nThank you for choosing {tenantName}.',
  },
  invoice: {
    sms: `Hi {customerFirstName}, your invoice[ {invoiceNumber}] from {tenantName}[ is {invoiceTotal}][, due {dueDate}].[ Pay online: {link}] ${optOutHint}`,
    emailSubject: 'Invoice[ {invoiceNumber}] from {tenantName}',
    emailBody:
      'Hi {customerFirstName},\n\nhere is your invoice[ {invoiceNumber}] from {tenantName}.[\n\n{details}]\n\n' +
      '[Balance due {dueDate}: {invoiceTotal}][\nPay online: {link}]\n\nThank you for choosing {tenantName}.',
  },
  overdue: {
    sms: `Hi {customerFirstName}, your invoice[ {invoiceNumber}] from {tenantName}[ for {invoiceTotal}] is past due[ since {dueDate}].[ {details}][ Pay online: {link}] ${optOutHint}`,
    emailSubject: 'Past due: invoice[ {invoiceNumber}] from {tenantName}',
    emailBody:
      'Hi {customerFirstName},\n\nyour invoice[ {invoiceNumber}] from {tenantName}[ for {invoiceTotal}] is past due[ since {dueDate}].[\n{details}][\nPay online: {link}]' +
      '\n\nIf you have paid already, thank you, and please ignore this message.',
  },
  follow_up: {
    sms: `Hi {customerFirstName}, {tenantName} here.[ {note}][ {link}] ${optOutHint}`,
    emailSubject: 'A note from {tenantName}',
    emailBody: 'Hi {customerFirstName},\n\n[{note}\n\n][{link}\n\n]Thank you for choosing {tenantName}.',
  },
};

/** The template of a purpose: the tenant's texts where it set them, the defaults for the rest. */
export function templateFor(
  settings: MessagingSettings | undefined,
  purpose: MessagePurpose,
): MessageTemplate {
  return { ...defaultTemplates[purpose], ...(settings?.templates?.[purpose] ?? {}) };
}

const placeholderPattern = /\{([^{}]*)\}/g;
const optionalPartPattern = /\[([^[\]]*)\]/g;
const known = new Set<string>(placeholders);

/** The names a template uses that are not placeholders, each once. */
export function unknownPlaceholders(text: string): string[] {
  const names = [...text.matchAll(placeholderPattern)].map((match) => match[1] ?? '');
  return [...new Set(names.filter((name) => !known.has(name)))];
}

/** The problems of template overrides as given, fields named `body.templates.<purpose>.<part>`. */
export function templateProblems(templates: MessagingSettings['templates']): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [purpose, template] of Object.entries(templates ?? {})) {
    if (!messagePurposes.includes(purpose as MessagePurpose)) {
      problems.push({ field: `body.templates.${purpose}`, message: 'is not a message purpose' });
      continue;
    }
    for (const [part, text] of Object.entries(template ?? {})) {
      if (typeof text !== 'string') continue;
      const field = `body.templates.${purpose}.${part}`;
      const unknown = unknownPlaceholders(text);
      if (unknown.length > 0) {
        problems.push({
          field,
          message: `names unknown placeholder(s) ${unknown.map((name) => `{${name}}`).join(', ')}; known: ${placeholders.map((name) => `{${name}}`).join(', ')}`,
        });
      }
      if (text.trim() === '') problems.push({ field, message: 'must not be empty' });
    }
  }
  return problems;
}

const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/** Stands where a placeholder rendered as nothing, until the spaces around it are tidied. */
const gap = '\uE000';

/**
 * Fills a template with the values. Square-bracketed parts whose placeholders lack a value are
 * left out (brackets without placeholders stay as written); any other placeholder without a
 * value reads as its fallback (`there`, `your technician`) or nothing, and a space left doubled
 * or before punctuation where something was left out is taken away, so no `{name}` or
 * `undefined` reaches the customer and the rest of the text keeps its layout.
 */
export function renderTemplate(text: string, values: Partial<Record<string, string>>): string {
  const fill = (part: string) =>
    part.replace(placeholderPattern, (_match, name: string) => {
      const value = values[name];
      return present(value) ? value : (fallbacks[name as Placeholder] ?? gap);
    });
  const withOptionalParts = text.replace(optionalPartPattern, (whole, inner: string) => {
    const names = [...inner.matchAll(placeholderPattern)].map((match) => match[1] ?? '');
    if (names.length === 0) return whole;
    return names.every((name) => present(values[name])) ? fill(inner) : gap;
  });
  return closeGaps(fill(withOptionalParts))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Takes out what stands for nothing with the space it leaves: `a {x} b` reads `a b`, `a {x}.`
 * reads `a.`, and a line starting with nothing starts with what follows.
 */
function closeGaps(text: string): string {
  return text.replace(/( ?)\uE000+( ?)/g, (match, before: string, after: string, offset: number) => {
    const previous = text[offset - 1];
    const next = text[offset + match.length];
    const wordBefore = previous !== undefined && previous !== '\n';
    const wordAfter = next !== undefined && next !== '\n' && !/[,.;:!?)]/.test(next);
    return (before || after) && wordBefore && wordAfter ? ' ' : '';
  });
}

/** The customer's first name as messages greet them. */
export const firstNameOf = (name: string | undefined): string | undefined =>
  name?.trim().split(/\s+/)[0] || undefined;
