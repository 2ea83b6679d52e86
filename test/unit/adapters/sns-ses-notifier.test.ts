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
  describe('email with attachments', () => {
    const calendar = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'BEGIN:VEVENT',
      'UID:wo_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3@acme.work-orders',
      'SUMMARY:AC repair visit',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');

    /** The raw message SES was given, as text. */
    const rawSent = () => {
      const data = ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Content?.Raw?.Data;
      return Buffer.from(data ?? new Uint8Array()).toString('utf8');
    };

    /** The parts of a multipart MIME message: headers and decoded body of each. */
    const partsOf = (raw: string) => {
      const boundary = /boundary="([^"]+)"/.exec(raw)?.[1] ?? '';
      return raw
        .split(`--${boundary}`)
        .slice(1, -1)
        .map((part) => {
          const [head = '', body = ''] = part.replace(/^\r\n/, '').split('\r\n\r\n');
          return { head, text: Buffer.from(body.replace(/\r\n/g, ''), 'base64').toString('utf8') };
        });
    };

    it('when an email carries an attachment, it is sent as raw MIME from the sender to the address', async () => {
      // Arrange
      ses.on(SendEmailCommand).resolves({ MessageId: 'ses-raw-1' });

      // Act
      const result = await notifier.send({
        tenantId: 'ten_acme',
        channel: 'email',
        to: 'dana@example.com',
        subject: 'Your AC repair visit on Fri Mar 14',
        body: 'Hi Dana, your visit is booked.',
        attachments: [
          { filename: 'appointment.ics', contentType: 'text/calendar; charset=utf-8', content: calendar },
        ],
      });

      // Assert
      expect(result).toEqual({ messageId: 'ses-raw-1' });
      const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
      expect(input).toMatchObject({
        FromEmailAddress: 'appointments@acme-hvac.example',
        Destination: { ToAddresses: ['dana@example.com'] },
      });
      expect(input?.Content?.Simple).toBeUndefined();
      const raw = rawSent();
      expect(raw.split('\r\n\r\n')[0]?.split('\r\n')).toEqual([
        'From: appointments@acme-hvac.example',
        'To: dana@example.com',
        'Subject: Your AC repair visit on Fri Mar 14',
        'MIME-Version: 1.0',
        expect.stringMatching(/^Content-Type: multipart\/mixed; boundary="[^"]+"$/),
      ]);
    });

    it('when an email carries an .ics, the raw message has the text part and the calendar part, each base64', async () => {
      // Arrange
      ses.on(SendEmailCommand).resolves({ MessageId: 'ses-raw-2' });

      // Act
      await notifier.send({
        tenantId: 'ten_acme',
        channel: 'email',
        to: 'dana@example.com',
        subject: 'Your visit',
        body: 'Hi Dana,\n\nyour visit is booked.',
        attachments: [
          { filename: 'appointment.ics', contentType: 'text/calendar; charset=utf-8', content: calendar },
        ],
      });

      // Assert
      const [text, attachment, ...rest] = partsOf(rawSent());
      expect(rest).toEqual([]);
      expect(text?.head.split('\r\n')).toEqual([
        'Content-Type: text/plain; charset=UTF-8',
        'Content-Transfer-Encoding: base64',
      ]);
      expect(text?.text).toBe('Hi Dana,\n\nyour visit is booked.');
      expect(attachment?.head.split('\r\n')).toEqual([
        'Content-Type: text/calendar; charset=utf-8; name="appointment.ics"',
        'Content-Transfer-Encoding: base64',
        'Content-Disposition: attachment; filename="appointment.ics"',
      ]);
      expect(attachment?.text).toBe(calendar);
    });

    it('when the subject is not plain ASCII or holds a line break, the header stays one encoded line', async () => {
      // Arrange
      ses.on(SendEmailCommand).resolves({ MessageId: 'ses-raw-3' });

      // Act
      await notifier.send({
        tenantId: 'ten_acme',
        channel: 'email',
        to: 'dana@example.com',
        subject: 'Rendez-vous confirmé\r\nBcc: someone@example.com',
        body: 'Bonjour',
        attachments: [{ filename: 'appointment.ics', contentType: 'text/calendar', content: calendar }],
      });

      // Assert
      const headers = rawSent().split('\r\n\r\n')[0]?.split('\r\n') ?? [];
      expect(headers.filter((header) => header.startsWith('Bcc'))).toEqual([]);
      const subject = headers.find((header) => header.startsWith('Subject: '));
      expect(subject).toMatch(/^Subject: =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
      const encoded = subject?.slice('Subject: =?UTF-8?B?'.length, -2) ?? '';
      expect(Buffer.from(encoded, 'base64').toString('utf8')).toBe(
        'Rendez-vous confirmé Bcc: someone@example.com',
      );
    });

    it('when the email has no attachment, it goes as Simple content', async () => {
      // Arrange
      ses.on(SendEmailCommand).resolves({ MessageId: 'ses-4' });

      // Act
      await notifier.send({
        tenantId: 'ten_acme',
        channel: 'email',
        to: 'dana@example.com',
        subject: 'Invoice',
        body: 'Your invoice is ready.',
        attachments: [],
      });

      // Assert
      const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
      expect(input?.Content?.Raw).toBeUndefined();
      expect(input?.Content?.Simple?.Subject?.Data).toBe('Invoice');
    });
  });

  describe('sms from the tenant’s number', () => {
    it('when the message names the tenant’s number, SNS sends from it', async () => {
      // Arrange
      sns.on(PublishCommand).resolves({ MessageId: 'sns-7' });

      // Act
      await notifier.send({
        tenantId: 'ten_acme',
        channel: 'sms',
        to: '+16175550101',
        from: '+16175550199',
        body: 'Hi',
      });

      // Assert
      expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes).toEqual({
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: '+16175550199' },
      });
    });
  });
});
