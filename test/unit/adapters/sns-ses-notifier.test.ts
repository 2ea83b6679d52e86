import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SnsSesNotifier } from '../../../lambdas/adapters/sns-ses/sns-ses-notifier.ts';

const sns = mockClient(SNSClient);
const ses = mockClient(SESv2Client);

describe('SnsSesNotifier', () => {
  const notifier = new SnsSesNotifier(
    new SNSClient({ region: 'us-east-1' }),
    new SESv2Client({ region: 'us-east-1' }),
    'appointments@acme-hvac.example',
  );

  beforeEach(() => {
    sns.reset();
    ses.reset();
  });

  describe('sms', () => {
    it('when sending an SMS, it publishes a transactional SMS to the phone number', async () => {
      // Arrange
      sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });

      // Act
      await notifier.send({
        tenantId: 'ten_acme',
        channel: 'sms',
        to: '+16175550101',
        body: 'Your technician is on the way.',
      });

      // Assert
      expect(sns.commandCalls(PublishCommand).map((call) => call.args[0].input)).toEqual([
        {
          PhoneNumber: '+16175550101',
          Message: 'Your technician is on the way.',
          MessageAttributes: {
            'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          },
        },
      ]);
      expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    });

    it("when SNS accepts the SMS, it returns SNS's message id", async () => {
      // Arrange
      sns.on(PublishCommand).resolves({ MessageId: 'sns-42' });

      // Act
      const result = await notifier.send({
        tenantId: 'ten_acme',
        channel: 'sms',
        to: '+16175550101',
        body: 'Hi',
      });

      // Assert
      expect(result).toEqual({ messageId: 'sns-42' });
    });
  });

  describe('email', () => {
    it('when sending an email, it sends it from the sender to the address with subject and text', async () => {
      // Arrange
      ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });

      // Act
      await notifier.send({
        tenantId: 'ten_acme',
        channel: 'email',
        to: 'dana@example.com',
        subject: 'Your appointment on March 13',
        body: 'Arrival between 9 and 11 am.',
      });

      // Assert
      expect(ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input)).toEqual([
        {
          FromEmailAddress: 'appointments@acme-hvac.example',
          Destination: { ToAddresses: ['dana@example.com'] },
          Content: {
            Simple: {
              Subject: { Data: 'Your appointment on March 13', Charset: 'UTF-8' },
              Body: { Text: { Data: 'Arrival between 9 and 11 am.', Charset: 'UTF-8' } },
            },
          },
        },
      ]);
      expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    });

    it("when SES accepts the email, it returns SES's message id", async () => {
      // Arrange
      ses.on(SendEmailCommand).resolves({ MessageId: 'ses-42' });

      // Act
      const result = await notifier.send({
        tenantId: 'ten_acme',
        channel: 'email',
        to: 'dana@example.com',
        subject: 'Invoice',
        body: 'Your invoice is ready.',
      });

      // Assert
      expect(result).toEqual({ messageId: 'ses-42' });
    });
  });
});
