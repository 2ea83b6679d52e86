import type { z } from 'zod';

/** The parts of a zod schema's definition a walk through it needs. */
interface Definition {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
  out?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
  valueType?: z.ZodType;
  items?: z.ZodType[];
  rest?: z.ZodType | null;
  getter?: () => z.ZodType;
}

const definitionOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Definition } })._zod.def;

/** Wrappers that change whether a value may be absent, not what it is. */
const wrappers = ['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'];

/** The schemas a schema is made of, one level down. */
function childrenOf(definition: Definition): [string, z.ZodType][] {
  if (wrappers.includes(definition.type) && definition.innerType) return [['', definition.innerType]];
  switch (definition.type) {
    case 'object':
      return Object.entries(definition.shape ?? {});
    case 'array':
      return definition.element ? [['[]', definition.element]] : [];
    case 'union':
      return (definition.options ?? []).map((option, index) => [`|${index}`, option]);
    case 'pipe':
      return [definition.in, definition.out]
        .filter((part): part is z.ZodType => part !== undefined)
        .map((part) => ['', part]);
    case 'intersection':
      return [definition.left, definition.right]
        .filter((part): part is z.ZodType => part !== undefined)
        .map((part) => ['', part]);
    case 'record':
      return definition.valueType ? [['*', definition.valueType]] : [];
    case 'tuple':
      return [...(definition.items ?? []), ...(definition.rest ? [definition.rest] : [])].map(
        (item, index) => [`${index}`, item],
      );
    case 'lazy':
      return definition.getter ? [['', definition.getter()]] : [];
    default:
      return [];
  }
}

/**
 * Where in a schema an object takes members it does not name (kept or silently dropped), as
 * paths like `body.customer.billingAddress`: a strict schema has none.
 */
export function looseObjectsIn(schema: z.ZodType, at = 'body'): string[] {
  const definition = definitionOf(schema);
  const catchall = definition.catchall ? definitionOf(definition.catchall).type : undefined;
  const here = definition.type === 'object' && catchall !== 'never' ? [at] : [];
  const below = childrenOf(definition).flatMap(([step, child]) =>
    looseObjectsIn(child, step === '' || step.startsWith('|') ? at : `${at}.${step}`),
  );
  return [...new Set([...here, ...below])];
}

/** The members a body may carry at its top level, of any of its alternatives, with their schemas. */
export function topLevelMembers(schema: z.ZodType): Map<string, z.ZodType[]> {
  const definition = definitionOf(schema);
  const members = new Map<string, z.ZodType[]>();
  if (definition.type === 'object') {
    for (const [name, member] of Object.entries(definition.shape ?? {})) members.set(name, [member]);
    return members;
  }
  for (const [step, child] of childrenOf(definition)) {
    if (step !== '' && !step.startsWith('|')) continue;
    for (const [name, schemas] of topLevelMembers(child))
      members.set(name, [...(members.get(name) ?? []), ...schemas]);
  }
  return members;
}

/** Whether a body may carry this value as this top-level member: the member is named and takes it. */
export const acceptsMember = (schema: z.ZodType, name: string, value: unknown) =>
  (topLevelMembers(schema).get(name) ?? []).some((member) => member.safeParse(value).success);
