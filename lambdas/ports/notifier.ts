export interface OutgoingMessage {
  tenantId: string;
  channel: 'sms' | 'email';
  /** E.164 phone number for SMS, address for email. */
  to: string;
  /** SMS only: the tenant's own number to send from; unset, the platform's. */
  from?: string;
  subject?: string;
  body: string;
  workOrderId?: string;
  /** Files sent with an email (an `.ics` appointment); SMS carries none. */
  attachments?: { filename: string; contentType: string; content: string }[];
}

export interface Notifier {
  /** Hands the message to the delivery service; returns the provider's message id. */
  send(message: OutgoingMessage): Promise<{ messageId: string }>;
}
