import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Entities } from '../../lambdas/adapters/dynamodb/entities.ts';
import { actorFromClaims, type JwtClaims } from '../../lambdas/shared/auth.ts';
import { ConflictError, PayloadTooLargeError, ValidationError } from '../../lambdas/shared/errors.ts';
import { type LambdaHandler, type LocalRoute, lambdaContext } from './gateway.ts';
import { BodyTooLargeError, readBody } from './http-body.ts';

const inboundBody = z
  .object({
    from: z.string().trim().min(3).max(32),
    body: z.string().max(2000),
    /** The tenant's number the text was sent to; the tenant's `smsNumber` unless given. */
    to: z.string().trim().min(3).max(32).optional(),
  })
  .strict();

/**
 * `POST /local/sms/inbound` (admins only), `{ from, body }`: a customer's text to the admin's
 * tenant, handed to the inbound-SMS function as the topic of two-way SMS would hand it (an SNS
 * event whose message names the sender and the tenant's number), so `STOP` and `START` work
 * locally as in the cloud. The tenant needs an SMS number (`PATCH /v1/settings/messages`).
 */
export function inboundSmsRoutes(
  entities: () => Entities,
  handler: LambdaHandler,
): Record<string, LocalRoute> {
  return {
    'POST /local/sms/inbound': async (request, _url, claims) => {
      const actor = actorFromClaims(claims as JwtClaims, ['admin']);
      let raw: Buffer;
      try {
        raw = await readBody(request, 8192);
      } catch (error) {
        if (error instanceof BodyTooLargeError) throw new PayloadTooLargeError('The body is too large');
        throw error;
      }
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new ValidationError([{ field: 'body', message: 'not valid JSON' }]);
      }
      const parsed = inboundBody.safeParse(json);
      if (!parsed.success) {
        throw new ValidationError(
          parsed.error.issues.map((issue) => ({
            field: ['body', ...issue.path.map(String)].join('.'),
            message: issue.message,
          })),
        );
      }
      const { data: tenant } = await entities().tenant.get({ tenantId: actor.tenantId }).go();
      const to = parsed.data.to ?? tenant?.messaging?.smsNumber;
      if (!to) {
        throw new ConflictError(
          'The tenant has no SMS number: set smsNumber with PATCH /v1/settings/messages',
        );
      }
      const message = {
        originationNumber: parsed.data.from,
        destinationNumber: to,
        messageBody: parsed.data.body,
        inboundMessageId: randomUUID(),
      };
      const event = { Records: [{ Sns: { MessageId: randomUUID(), Message: JSON.stringify(message) } }] };
      const result = await handler(event as never, lambdaContext('InboundSmsFunction', 30_000));
      return { status: 200, body: result };
    },
  };
}
