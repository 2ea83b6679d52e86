import { clock, directoryStore, messagingSettingsStore } from '../../adapters/dependencies.ts';
import { maskAddress } from '../../domain/notifications/contact-channels.ts';
import { receiveInboundSms } from '../../domain/notifications/sms-opt-out.ts';
import { inboundSmsEvent, inboundSmsMessage } from '../../schemas/inbound-sms.ts';
import { withPowertools } from '../../shared/middleware.ts';
import { logger } from '../../shared/powertools.ts';

/**
 * What the inbound-SMS topic invokes with the texts customers send to a tenant's number (and the
 * local `POST /local/sms/inbound` with the same shape): the number a text was sent to names the
 * tenant, whose customer with the sender's phone is opted out by `STOP` and back in by `START`.
 * A text to a number no tenant sends from, or one that is not JSON, is logged and dropped: a
 * retry would not change it. Safe to run twice: a second `STOP` changes nothing.
 */
export const handler = withPowertools(async (event: unknown) => {
  const { Records } = inboundSmsEvent.parse(event);
  const results = [];
  for (const record of Records) {
    let json: unknown;
    try {
      json = JSON.parse(record.Sns.Message);
    } catch {
      json = undefined;
    }
    const parsed = inboundSmsMessage.safeParse(json);
    if (!parsed.success) {
      logger.warn('Inbound SMS not understood; dropped', { messageId: record.Sns.MessageId });
      continue;
    }
    const { originationNumber, destinationNumber, messageBody } = parsed.data;
    const tenantId = await messagingSettingsStore().tenantForSmsNumber(destinationNumber);
    const from = maskAddress('sms', originationNumber);
    if (!tenantId) {
      logger.warn('Inbound SMS to a number no tenant sends from; dropped', { from, to: destinationNumber });
      continue;
    }
    const outcome = await receiveInboundSms(
      { directory: directoryStore(), clock },
      { tenantId, from: originationNumber, body: messageBody },
    );
    logger.info('Inbound SMS', { tenantId, from, keyword: outcome.keyword, changed: outcome.customerIds });
    results.push({ tenantId, ...outcome });
  }
  return { results };
});
