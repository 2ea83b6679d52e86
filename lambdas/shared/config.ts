import { z } from 'zod';

/**
 * The environment every function may read, parsed once with zod so that a missing or
 * malformed variable fails at the first use with a message naming it, not deep in a request.
 * Each function needs only some of these; `requireConfig` asks for the ones it uses.
 */
const environmentSchema = z.object({
  STAGE: z.enum(['dev', 'prod', 'local', 'test']).default('dev'),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  TABLE_NAME: z.string().min(1).optional(),
  BUCKET_NAME: z.string().min(1).optional(),
  STATE_MACHINE_ARN: z.string().min(1).optional(),
  EVENT_BUS_NAME: z.string().min(1).optional(),
  NOTIFICATION_TOPIC_ARN: z.string().min(1).optional(),
  SENDER_EMAIL: z.string().email().optional(),
  SCHEDULE_GROUP_NAME: z.string().min(1).optional(),
  SCHEDULER_ROLE_ARN: z.string().min(1).optional(),
  SCHEDULE_TARGET_ARN: z.string().min(1).optional(),
  /** `aws` uses SNS/SES/EventBridge Scheduler; `local` uses the table-backed outbox and schedules. */
  ADAPTERS: z.enum(['aws', 'local']).default('aws'),
  IDEMPOTENCY_TTL_SECONDS: z.coerce.number().int().positive().default(86_400),
  /**
   * Writes (POST, PATCH, PUT, DELETE) a tenant may make a minute, unless its item sets its own
   * (`limits.writesPerMinute`); 0 turns the limit off.
   */
  TENANT_WRITES_PER_MINUTE: z.coerce.number().int().nonnegative().default(600),
  /** The Secrets Manager secret holding the Stripe keys (`{"secretKey":"sk_…","webhookSecret":"whsec_…"}`). */
  STRIPE_SECRET_ARN: z.string().min(1).optional(),
  /**
   * Stripe keys given directly, for a machine outside AWS (Stripe test mode with `stripe listen`);
   * the cloud reads them from STRIPE_SECRET_ARN. Locally STRIPE_WEBHOOK_SECRET alone signs and
   * verifies the local pay page's events.
   */
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Where Stripe sends a customer after paying; without it Stripe shows its own confirmation. */
  PAYMENT_RETURN_URL: z.string().url().optional(),
  /** The local gateway's own URL, which local pay links point at. */
  LOCAL_API_URL: z.string().url().optional(),
  /** The Secrets Manager secret holding the customer link signing keys (`{"kid","secret","previous"}`). */
  CUSTOMER_LINK_KEYS_SECRET_ARN: z.string().min(1).optional(),
  /** The same keys given directly (the local platform reads them from its data folder). */
  CUSTOMER_LINK_KEYS: z.string().min(1).optional(),
  /** The public base URL of the customer pages: the API's own URL, or a domain in front of it. */
  CUSTOMER_PAGES_URL: z.string().url().optional(),
});

export type Config = z.infer<typeof environmentSchema>;
type RequiredKey = Exclude<
  {
    [K in keyof Config]-?: undefined extends Config[K] ? K : never;
  }[keyof Config],
  undefined
>;

let cached: Config | undefined;

export function config(): Config {
  if (!cached) {
    const parsed = environmentSchema.safeParse(process.env);
    if (!parsed.success) {
      const names = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
      throw new Error(`Invalid environment: ${names}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** Returns the named settings, throwing with the variable's name when one is absent. */
export function requireConfig<K extends RequiredKey>(
  ...keys: K[]
): Config & { [P in K]-?: NonNullable<Config[P]> } {
  const current = config();
  const missing = keys.filter((key) => current[key] === undefined);
  if (missing.length > 0) throw new Error(`Missing environment variable(s): ${missing.join(', ')}`);
  return current as Config & { [P in K]-?: NonNullable<Config[P]> };
}

/** Forgets the parsed environment; the local runtime and tests set variables before first use. */
export function resetConfig(): void {
  cached = undefined;
}
