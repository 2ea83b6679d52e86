import type { Notifier, OutgoingMessage } from '../../../lambdas/ports/notifier.ts';

/** Keeps every message handed over, in order, and answers with predictable message ids. */
export class RecordingNotifier implements Notifier {
  readonly sent: OutgoingMessage[] = [];
  private readonly failures: Error[] = [];

  /** The next send fails with `error` and delivers nothing, as when the provider throttles. */
  failNextSendWith(error: Error): this {
    this.failures.push(error);
    return this;
  }

  async send(message: OutgoingMessage): Promise<{ messageId: string }> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push(structuredClone(message));
    return { messageId: `msg-${this.sent.length}` };
  }
}
