import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { PartCatalog, PartFilter } from '../../ports/part-catalog.ts';
import type { Page } from '../../ports/work-order-store.ts';
import {
  ConflictError,
  NotFoundError,
  ServiceUnavailableError,
  ValidationError,
} from '../../shared/errors.ts';
import type { PageRequest } from '../customers/customer-directory.ts';
import type { Actor } from '../shared/actor.ts';
import {
  changePart,
  newPart,
  normalizeSku,
  type Part,
  type PartChanges,
  type PartInput,
  partProblems,
} from './part.ts';

export interface PartCatalogDependencies {
  parts: PartCatalog;
  clock: Clock;
  ids: IdGenerator;
}

/** How many times a write refused by a concurrent one is tried again before answering 503. */
const maxAttempts = 5;

const skuTaken = (holder: Part) =>
  new ConflictError(`SKU ${holder.sku} already belongs to part ${holder.partId}`, {
    field: 'body.sku',
    partId: holder.partId,
  });

/**
 * Adds a part to the actor's catalogue.
 * 1. Checks the fields (400 naming the field) and normalizes the SKU.
 * 2. Refuses with 409 naming `body.sku` and the holder if the SKU is taken.
 * 3. Writes the part and its SKU item in one transaction; when a concurrent create took the SKU
 *    meanwhile, answers 409 the same way (of ten creates with one SKU at once, one wins).
 */
export async function createPart(
  dependencies: PartCatalogDependencies,
  actor: Actor,
  input: PartInput,
): Promise<Part> {
  const problems = partProblems(input, 'body');
  if (problems.length > 0) throw new ValidationError(problems);
  const part = newPart(
    actor.tenantId,
    dependencies.ids.next('prt'),
    input,
    dependencies.clock.now().toISOString(),
  );
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const holder = await dependencies.parts.bySku(actor.tenantId, part.sku);
    if (holder) throw skuTaken(holder);
    if (await dependencies.parts.create(part)) return part;
  }
  throw new ServiceUnavailableError('The part could not be written for concurrent changes; retry');
}

/** A part of the actor's tenant; another tenant's id is not found. */
export async function getPart(parts: Pick<PartCatalog, 'get'>, actor: Actor, partId: string): Promise<Part> {
  const part = await parts.get(actor.tenantId, partId);
  if (!part) throw new NotFoundError('Part', partId);
  return part;
}

/**
 * The catalogue a page at a time in SKU order, optionally of one category or activity; with a
 * SKU, the one part holding it (any case), read by key.
 */
export async function findParts(
  parts: Pick<PartCatalog, 'bySku' | 'list'>,
  actor: Actor,
  query: PartFilter & { sku?: string },
  page: PageRequest,
): Promise<Page<Part>> {
  if (query.sku !== undefined) {
    const part = await parts.bySku(actor.tenantId, normalizeSku(query.sku));
    const matches =
      part &&
      (query.category === undefined || part.category === query.category) &&
      (query.active === undefined || part.active === query.active);
    return { items: matches ? [part] : [] };
  }
  const { sku: _sku, ...filter } = query;
  return parts.list(actor.tenantId, filter, page);
}

/**
 * Changes a part.
 * 1. Reads it (404 if not the tenant's) and checks the version the caller read, if given (409).
 * 2. Checks the changes (400 naming the field); refuses a SKU another part holds (409).
 * 3. Replaces it on the version read, moving its SKU item if the SKU changed; a refusal is a
 *    concurrent change or the new SKU taken meanwhile (409 either way, saying which).
 * Prices changed here apply to parts used from now on: recorded usages keep what they captured.
 */
export async function updatePart(
  dependencies: PartCatalogDependencies,
  actor: Actor,
  partId: string,
  changes: PartChanges,
  expectedVersion?: number,
): Promise<Part> {
  const before = await getPart(dependencies.parts, actor, partId);
  if (expectedVersion !== undefined && expectedVersion !== before.version) {
    throw new ConflictError(`Part ${partId} is at version ${before.version}`, {
      currentVersion: before.version,
    });
  }
  const problems = partProblems(changes, 'body');
  if (problems.length > 0) throw new ValidationError(problems);
  const after = changePart(before, changes, dependencies.clock.now().toISOString());
  const newSku = after.sku !== before.sku ? after.sku : undefined;
  const holderOfNewSku = async () =>
    newSku === undefined ? undefined : await dependencies.parts.bySku(actor.tenantId, newSku);
  const holder = await holderOfNewSku();
  if (holder && holder.partId !== partId) throw skuTaken(holder);
  if (await dependencies.parts.update(before, after)) return after;
  const takenMeanwhile = await holderOfNewSku();
  if (takenMeanwhile && takenMeanwhile.partId !== partId) throw skuTaken(takenMeanwhile);
  throw new ConflictError(`Part ${partId} was changed meanwhile; read it again`);
}
