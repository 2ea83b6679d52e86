import { z } from 'zod';

/**
 * A text a customer sent to one of the platform's numbers, as AWS End User Messaging SMS
 * (two-way SMS) publishes it to the inbound topic: the message of each SNS record is this JSON.
 */
export const inboundSmsMessage = z.object({
  originationNumber: z.string().min(3).max(32),
  destinationNumber: z.string().min(3).max(32),
  messageBody: z.string().max(2000),
  inboundMessageId: z.string().optional(),
});

/** The SNS event the inbound-SMS function is invoked with (only the parts it reads). */
export const inboundSmsEvent = z.object({
  Records: z.array(
    z.object({
      Sns: z.object({ Message: z.string(), MessageId: z.string().optional() }),
    }),
  ),
});

export type InboundSmsMessage = z.infer<typeof inboundSmsMessage>;
