export interface OutgoingMessage {
  tenantId: string;
  channel: 'sms' | 'email';
  /** E.164 phone number for SMS, address for email. */
  to: string;
  subject?: string;
  body: string;
  workOrderId?: string;
}

export interface Notifier {
  /** Hands the message to the delivery service; returns the provider's message id. */
  send(message: OutgoingMessage): Promise<{ messageId: string }>;
}
