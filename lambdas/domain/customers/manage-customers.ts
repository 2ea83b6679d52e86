import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { Page, WorkOrderStore } from '../../ports/work-order-store.ts';
import {
  ConflictError,
  type FieldProblem,
  ForbiddenError,
  NotFoundError,
  ServiceUnavailableError,
  ValidationError,
} from '../../shared/errors.ts';
import type { Actor } from '../shared/actor.ts';
import type { WorkOrder } from '../work-orders/work-order.ts';
import {
  type Address,
  type ContactKind,
  type ContactPreferences,
  type Customer,
  nameKey,
  normalizeEmail,
  normalizePhone,
  type Tenant,
} from './customer.ts';
import type { CustomerDirectory, PageRequest } from './customer-directory.ts';

export interface CustomerDependencies {
  directory: CustomerDirectory;
  workOrders: WorkOrderStore;
  clock: Clock;
  ids: IdGenerator;
}

export interface CustomerInput {
  name: string;
  phone?: string;
  email?: string;
  billingAddress?: Address;
  contactPreferences?: ContactPreferences;
}

/** How many times a write refused by a concurrent one is tried again before answering 503. */
const maxAttempts = 5;

export async function tenantOf(directory: CustomerDirectory, actor: Actor): Promise<Tenant> {
  const tenant = await directory.getTenant(actor.tenantId);
  if (!tenant) throw new ForbiddenError('This tenant is not provisioned');
  return tenant;
}

/**
 * The phone in E.164 (read in the tenant's country) and the email lower-cased; a problem
 * naming `<prefix>.phone` for a phone that is not a valid number.
 */
export function normalizeContacts(
  tenant: Tenant,
  input: { phone?: string; email?: string },
  fieldPrefix: string,
): { phone?: string; email?: string; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const phone = input.phone === undefined ? undefined : normalizePhone(input.phone, tenant.country);
  if (input.phone !== undefined && !phone) {
    problems.push({
      field: `${fieldPrefix}.phone`,
      message: `not a valid phone number for ${tenant.country}`,
    });
  }
  return {
    ...(phone ? { phone } : {}),
    ...(input.email !== undefined ? { email: normalizeEmail(input.email) } : {}),
    problems,
  };
}

const contactsOf = (customer: Pick<Customer, 'phone' | 'email'>): [ContactKind, string][] => [
  ...(customer.phone ? [['phone', customer.phone] as [ContactKind, string]] : []),
  ...(customer.email ? [['email', customer.email] as [ContactKind, string]] : []),
];

/** The first customer other than `except` that holds one of the contacts, phone first. */
async function holderOf(
  directory: CustomerDirectory,
  tenantId: string,
  contacts: Pick<Customer, 'phone' | 'email'>,
  except?: string,
): Promise<{ customer: Customer; kind: ContactKind } | undefined> {
  const holders = await Promise.all(
    contactsOf(contacts).map(async ([kind, value]) => ({
      kind,
      customer: await directory.customerByContact(tenantId, kind, value),
    })),
  );
  for (const { kind, customer } of holders) {
    if (customer && customer.customerId !== except) return { kind, customer };
  }
  return undefined;
}

/** The customer with normalized contacts and its name key, ready to be written. */
export function newCustomer(
  tenant: Tenant,
  customerId: string,
  input: CustomerInput,
  contacts: { phone?: string; email?: string },
  now: string,
): Customer {
  return {
    tenantId: tenant.tenantId,
    customerId,
    name: input.name,
    nameKey: nameKey(input.name),
    ...(contacts.phone ? { phone: contacts.phone } : {}),
    ...(contacts.email ? { email: contacts.email } : {}),
    ...(input.billingAddress ? { billingAddress: input.billingAddress } : {}),
    ...(input.contactPreferences ? { contactPreferences: input.contactPreferences } : {}),
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

/** The customer already holding the (normalized) phone or email, if any. */
export async function matchCustomer(
  directory: CustomerDirectory,
  tenantId: string,
  contacts: { phone?: string; email?: string },
): Promise<Customer | undefined> {
  return (await holderOf(directory, tenantId, contacts))?.customer;
}

/**
 * Finds the customer holding the candidate's phone or email, or writes the candidate.
 * When a concurrent request writes a customer with the same contact first, the write is
 * refused and the contact item it wrote names the customer to use instead.
 */
export async function findOrCreateCustomer(
  directory: CustomerDirectory,
  candidate: Customer,
): Promise<{ customer: Customer; created: boolean }> {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const existing = await matchCustomer(directory, candidate.tenantId, candidate);
    if (existing) return { customer: existing, created: false };
    if (await directory.createCustomer(candidate)) return { customer: candidate, created: true };
  }
  throw new ServiceUnavailableError('The customer could not be written for concurrent changes; retry');
}

const contactConflict = (holder: { customer: Customer; kind: ContactKind }, fieldPrefix: string) =>
  new ConflictError(`This ${holder.kind} already belongs to customer ${holder.customer.customerId}`, {
    customerId: holder.customer.customerId,
    field: `${fieldPrefix}.${holder.kind}`,
  });

/**
 * Creates a customer.
 * 1. Normalizes the phone (tenant's country) and email; 400 for a phone that is not one.
 * 2. Refuses with 409 and the holder's id if a customer of the tenant has the phone or email.
 * 3. Writes the customer and its contact items in one transaction; if a concurrent write took
 *    a contact meanwhile, answers 409 with that customer's id.
 */
export async function createCustomer(
  dependencies: CustomerDependencies,
  actor: Actor,
  input: CustomerInput,
): Promise<Customer> {
  const { directory, clock, ids } = dependencies;
  const tenant = await tenantOf(directory, actor);
  const { problems, ...contacts } = normalizeContacts(tenant, input, 'body');
  if (problems.length > 0) throw new ValidationError(problems);
  const customer = newCustomer(tenant, ids.next('cus'), input, contacts, clock.now().toISOString());
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const holder = await holderOf(directory, tenant.tenantId, customer);
    if (holder) throw contactConflict(holder, 'body');
    if (await directory.createCustomer(customer)) return customer;
  }
  throw new ServiceUnavailableError('The customer could not be written for concurrent changes; retry');
}

export async function getCustomer(
  directory: CustomerDirectory,
  actor: Actor,
  customerId: string,
): Promise<Customer> {
  const customer = await directory.getCustomer(actor.tenantId, customerId);
  if (!customer) throw new NotFoundError('Customer', customerId);
  return customer;
}

export interface CustomerChanges {
  name?: string;
  phone?: string;
  email?: string;
  billingAddress?: Address;
  contactPreferences?: ContactPreferences;
  /** Opts the customer out of (true) or back into (false) a channel, as they asked the office. */
  optedOut?: { sms?: boolean; email?: boolean };
}

/** The opt-outs after a change: a new one is stamped now, one already recorded keeps its time. */
function optedOutAfter(
  current: Customer['optedOut'],
  change: CustomerChanges['optedOut'],
  at: string,
): Customer['optedOut'] {
  const next: NonNullable<Customer['optedOut']> = { ...(current ?? {}) };
  for (const channel of ['sms', 'email'] as const) {
    const wanted = change?.[channel];
    if (wanted === true) next[channel] ??= at;
    else if (wanted === false) delete next[channel];
  }
  return Object.keys(next).length > 0 ? next : undefined;
}

/**
 * Changes a customer's details.
 * 1. Reads it (404 if not the tenant's) and checks the version the caller read, if given.
 * 2. Normalizes a new phone or email and refuses with 409 if another customer holds it.
 * 3. Replaces the customer and moves the changed contact items in one transaction, on the
 *    version read; a refusal is a concurrent change (409), or a contact taken meanwhile (409
 *    with the holder's id).
 */
export async function updateCustomer(
  dependencies: CustomerDependencies,
  actor: Actor,
  customerId: string,
  changes: CustomerChanges,
  expectedVersion?: number,
): Promise<Customer> {
  const { directory, clock } = dependencies;
  const tenant = await tenantOf(directory, actor);
  const before = await getCustomer(directory, actor, customerId);
  const version = before.version ?? 1;
  if (expectedVersion !== undefined && expectedVersion !== version) {
    throw new ConflictError(`Customer ${customerId} is at version ${version}`, { currentVersion: version });
  }
  const { problems, ...contacts } = normalizeContacts(tenant, changes, 'body');
  if (problems.length > 0) throw new ValidationError(problems);
  const at = clock.now().toISOString();
  const { optedOut: optedOutBefore, ...unchanged } = before;
  const optedOut = optedOutAfter(optedOutBefore, changes.optedOut, at);
  const after: Customer = {
    ...unchanged,
    ...(optedOut ? { optedOut } : {}),
    ...(changes.name !== undefined ? { name: changes.name, nameKey: nameKey(changes.name) } : {}),
    ...contacts,
    ...(changes.billingAddress !== undefined ? { billingAddress: changes.billingAddress } : {}),
    ...(changes.contactPreferences !== undefined ? { contactPreferences: changes.contactPreferences } : {}),
    version: version + 1,
    updatedAt: at,
  };
  const newContacts = {
    ...(contacts.phone && contacts.phone !== before.phone ? { phone: contacts.phone } : {}),
    ...(contacts.email && contacts.email !== before.email ? { email: contacts.email } : {}),
  };
  const holder = await holderOf(directory, tenant.tenantId, newContacts, customerId);
  if (holder) throw contactConflict(holder, 'body');
  if (await directory.updateCustomer(before, after)) return after;
  const takenMeanwhile = await holderOf(directory, tenant.tenantId, newContacts, customerId);
  if (takenMeanwhile) throw contactConflict(takenMeanwhile, 'body');
  throw new ConflictError(`Customer ${customerId} was changed meanwhile; read it again`);
}

export interface CustomerQuery {
  phone?: string;
  email?: string;
  name?: string;
}

/**
 * Finds customers: by phone (any written form of the same number) or email (any case), exactly,
 * with one GetItem on the contact item; otherwise by name prefix, in name order, a page at a time.
 */
export async function findCustomers(
  directory: CustomerDirectory,
  actor: Actor,
  query: CustomerQuery,
  page: PageRequest,
): Promise<Page<Customer>> {
  if (query.phone !== undefined || query.email !== undefined) {
    const tenant = await tenantOf(directory, actor);
    const { problems, ...contacts } = normalizeContacts(tenant, query, 'query');
    if (problems.length > 0) throw new ValidationError(problems);
    const holders = await Promise.all(
      contactsOf(contacts).map(([kind, value]) => directory.customerByContact(tenant.tenantId, kind, value)),
    );
    // Both given: the customer holding both.
    const [first, ...others] = holders;
    const match =
      first && others.every((other) => other?.customerId === first.customerId) ? first : undefined;
    return { items: match ? [match] : [] };
  }
  return directory.customersByName(actor.tenantId, nameKey(query.name ?? ''), page);
}

/** The customer's work orders, newest first (one Query on the work orders by customer). */
export async function customerWorkOrders(
  dependencies: Pick<CustomerDependencies, 'directory' | 'workOrders'>,
  actor: Actor,
  customerId: string,
  page: PageRequest,
): Promise<Page<WorkOrder>> {
  await getCustomer(dependencies.directory, actor, customerId);
  return dependencies.workOrders.list({ tenantId: actor.tenantId, customerId }, page);
}
