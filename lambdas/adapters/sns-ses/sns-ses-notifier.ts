import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notifier, OutgoingMessage } from '../../ports/notifier.ts';
import { mimeEmail } from './mime-message.ts';

/**
 * SMS through SNS, email through SES v2: a plain email as `Simple` content, one with attachments
 * (an `.ics` appointment) as a raw MIME message.
 */
export class SnsSesNotifier implements Notifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly ses: SESv2Client,
    private readonly senderEmail: string,
  ) {}

  async send(message: OutgoingMessage): Promise<{ messageId: string }> {
    if (message.channel === 'sms') {
      const output = await this.sns.send(
        new PublishCommand({
          PhoneNumber: message.to,
          Message: message.body,
          MessageAttributes: {
            'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
            // The tenant's own number, so replies (STOP) come back to it.
            ...(message.from
              ? { 'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: message.from } }
              : {}),
          },
        }),
      );
      return { messageId: output.MessageId ?? '' };
    }
    const attachments = message.attachments ?? [];
    if (attachments.length > 0) {
      const raw = mimeEmail({
        from: this.senderEmail,
        to: message.to,
        subject: message.subject ?? '',
        text: message.body,
        attachments,
      });
      const output = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: this.senderEmail,
          Destination: { ToAddresses: [message.to] },
          Content: { Raw: { Data: Buffer.from(raw, 'utf8') } },
        }),
      );
      return { messageId: output.MessageId ?? '' };
    }
    const output = await this.ses.send(
      new SendEmailCommand({
        FromEmailAddress: this.senderEmail,
        Destination: { ToAddresses: [message.to] },
        Content: {
          Simple: {
            Subject: { Data: message.subject ?? '', Charset: 'UTF-8' },
            Body: { Text: { Data: message.body, Charset: 'UTF-8' } },
          },
        },
      }),
    );
    return { messageId: output.MessageId ?? '' };
  }
}
