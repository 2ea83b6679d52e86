import type { Clock } from '../../ports/clock.ts';
import { ConflictError, type FieldProblem, ForbiddenError, ValidationError } from '../../shared/errors.ts';
import type { Tenant, TimeRange } from '../customers/customer.ts';
import { normalizePhone } from '../customers/customer.ts';
import { isLocalTime } from '../scheduling/local-time.ts';
import type { Actor } from '../shared/actor.ts';
import { defaultTemplates, placeholders, templateFor, templateProblems } from './message-templates.ts';
import {
  type MessagePurpose,
  type MessageTemplate,
  type MessagingSettings,
  messagePurposes,
} from './notification.ts';

export interface MessagingSettingsStore {
  getTenant(tenantId: string): Promise<Tenant | undefined>;
  /**
   * Replaces the tenant's messaging settings. When the SMS number changes, the number's route to
   * the tenant moves with it, on the condition that no other tenant holds the new number; false
   * (nothing written) when one does.
   */
  saveMessagingSettings(
    tenantId: string,
    settings: MessagingSettings,
    previousSmsNumber: string | undefined,
    at: string,
  ): Promise<boolean>;
  /** The tenant that sends from this number (E.164), to which replies to it belong. */
  tenantForSmsNumber(smsNumber: string): Promise<string | undefined>;
}

/** The settings as the office reads them: every purpose's texts in effect, and what the tenant set. */
export interface MessagingSettingsView {
  templates: Record<MessagePurpose, MessageTemplate & { customized: boolean }>;
  quietHours?: TimeRange;
  smsNumber?: string;
  placeholders: readonly string[];
}

/** A change: texts given replace the tenant's, `null` returns a text (or a purpose, or the hours) to the default. */
export interface MessagingSettingsChanges {
  templates?: Partial<Record<string, Partial<Record<keyof MessageTemplate, string | null>> | null>>;
  quietHours?: TimeRange | null;
  smsNumber?: string | null;
}

export function messagingSettingsView(settings: MessagingSettings | undefined): MessagingSettingsView {
  const templates = Object.fromEntries(
    messagePurposes.map((purpose) => [
      purpose,
      {
        ...templateFor(settings, purpose),
        customized: Object.keys(settings?.templates?.[purpose] ?? {}).length > 0,
      },
    ]),
  ) as MessagingSettingsView['templates'];
  return {
    templates,
    ...(settings?.quietHours ? { quietHours: settings.quietHours } : {}),
    ...(settings?.smsNumber ? { smsNumber: settings.smsNumber } : {}),
    placeholders,
  };
}

export async function getMessagingSettings(
  store: Pick<MessagingSettingsStore, 'getTenant'>,
  actor: Actor,
): Promise<MessagingSettingsView> {
  return messagingSettingsView((await tenantOf(store, actor)).messaging);
}

/**
 * Changes the tenant's message templates, quiet hours or SMS number.
 * 1. Refuses with 400, naming the field, a text that names an unknown placeholder or is empty,
 *    quiet hours that are not local times or start when they end, a number that is not one.
 * 2. Merges the change into what the tenant set: a text given replaces it, `null` drops it (the
 *    default applies again); a text equal to the default is not kept as an override.
 * 3. Saves; 409 when another tenant sends from the number given.
 */
export async function updateMessagingSettings(
  dependencies: { settings: MessagingSettingsStore; clock: Clock },
  actor: Actor,
  changes: MessagingSettingsChanges,
): Promise<MessagingSettingsView> {
  const tenant = await tenantOf(dependencies.settings, actor);
  const problems: FieldProblem[] = [
    ...templateProblems(
      Object.fromEntries(
        Object.entries(changes.templates ?? {}).map(([purpose, texts]) => [
          purpose,
          Object.fromEntries(Object.entries(texts ?? {}).filter(([, text]) => text !== null)),
        ]),
      ) as MessagingSettings['templates'],
    ),
    ...quietHoursProblems(changes.quietHours),
  ];
  const smsNumber =
    typeof changes.smsNumber === 'string' ? normalizePhone(changes.smsNumber, tenant.country) : undefined;
  if (typeof changes.smsNumber === 'string' && !smsNumber) {
    problems.push({ field: 'body.smsNumber', message: 'not a valid phone number' });
  }
  if (problems.length > 0) throw new ValidationError(problems);

  const current = tenant.messaging ?? {};
  const templates = mergeTemplates(current.templates ?? {}, changes.templates ?? {});
  const quietHours =
    changes.quietHours === undefined ? current.quietHours : (changes.quietHours ?? undefined);
  const number = changes.smsNumber === undefined ? current.smsNumber : smsNumber;
  const next: MessagingSettings = {
    ...(Object.keys(templates).length > 0 ? { templates } : {}),
    ...(quietHours ? { quietHours: { start: quietHours.start, end: quietHours.end } } : {}),
    ...(number ? { smsNumber: number } : {}),
  };
  const saved = await dependencies.settings.saveMessagingSettings(
    actor.tenantId,
    next,
    current.smsNumber,
    dependencies.clock.now().toISOString(),
  );
  if (!saved) throw new ConflictError(`The number ${number} already sends for another tenant`);
  return messagingSettingsView(next);
}

function mergeTemplates(
  current: NonNullable<MessagingSettings['templates']>,
  changes: NonNullable<MessagingSettingsChanges['templates']>,
): NonNullable<MessagingSettings['templates']> {
  const merged: NonNullable<MessagingSettings['templates']> = {};
  for (const purpose of messagePurposes) {
    const change = changes[purpose];
    const texts: Partial<MessageTemplate> = change === null ? {} : { ...(current[purpose] ?? {}) };
    for (const [part, text] of Object.entries(change ?? {}) as [keyof MessageTemplate, string | null][]) {
      if (text === null || text === defaultTemplates[purpose][part]) delete texts[part];
      else texts[part] = text;
    }
    if (Object.keys(texts).length > 0) merged[purpose] = texts;
  }
  return merged;
}

function quietHoursProblems(quietHours: TimeRange | null | undefined): FieldProblem[] {
  if (!quietHours) return [];
  const problems: FieldProblem[] = [];
  if (!isLocalTime(quietHours.start))
    problems.push({ field: 'body.quietHours.start', message: 'must be a local time, HH:mm' });
  if (!isLocalTime(quietHours.end))
    problems.push({ field: 'body.quietHours.end', message: 'must be a local time, HH:mm' });
  if (problems.length === 0 && quietHours.start === quietHours.end) {
    problems.push({ field: 'body.quietHours.end', message: 'must differ from the start' });
  }
  return problems;
}

async function tenantOf(store: Pick<MessagingSettingsStore, 'getTenant'>, actor: Actor): Promise<Tenant> {
  const tenant = await store.getTenant(actor.tenantId);
  if (!tenant) throw new ForbiddenError('This tenant is not provisioned');
  return tenant;
}
