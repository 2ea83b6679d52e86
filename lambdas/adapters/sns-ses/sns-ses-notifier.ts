import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notifier, OutgoingMessage } from '../../ports/notifier.ts';

/** SMS through SNS, email through SES v2. */
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
          MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
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
