import { setTimeout as sleep } from 'node:timers/promises';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ServiceUnavailableError } from '../../shared/errors.ts';

/**
 * Cancellation reasons of a transaction DynamoDB refused for load, not for its conditions:
 * an item throttled, or another transaction writing one of its items at the same moment.
 */
const loadReasons = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'TransactionConflict']);

/** Sends of one transaction in all, the first included. */
const maxSends = 4;
const baseDelayMs = 50;

/**
 * True when DynamoDB cancelled a transaction only for load: none of its conditions failed, so
 * it wrote nothing and the very same transaction may be sent again.
 */
export function isCancelledForLoad(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return false;
  const codes = ((error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).map(
    (reason) => reason.Code ?? 'None',
  );
  return (
    codes.some((code) => loadReasons.has(code)) &&
    codes.every((code) => code === 'None' || loadReasons.has(code))
  );
}

/**
 * The document client as the stores' ElectroDB entities use it. The SDK retries throttled
 * calls itself, but not a transaction cancelled for load (it is a 400 with reasons), and
 * ElectroDB reports every cancellation as `canceled`, which the stores read as a condition that
 * no longer holds (a 409, or a work order that "kept changing"). So such a transaction is sent
 * again here, after a jittered pause; if the load lasts, it fails as a busy dependency (503 at
 * the API, `WorkOrder.Transient` in the workflow). A cancellation by a condition passes through.
 */
export function withTransactionRetries(client: DynamoDBDocumentClient): Pick<DynamoDBDocumentClient, 'send'> {
  // ElectroDB sends a command with its options only (no callback form).
  const send = async (command: unknown, options?: unknown): Promise<unknown> => {
    for (let sent = 1; ; sent += 1) {
      try {
        // Looked up at each call, so that a client stubbed later (tests) is the one used.
        return await client.send(command as never, options as never);
      } catch (error) {
        if (!isCancelledForLoad(error)) throw error;
        if (sent >= maxSends) {
          throw Object.assign(
            new ServiceUnavailableError(
              `The table stayed busy through ${maxSends} tries of a transaction; retry`,
            ),
            { cause: error },
          );
        }
        await sleep(Math.random() * baseDelayMs * 2 ** sent);
      }
    }
  };
  return { send: send as unknown as DynamoDBDocumentClient['send'] };
}
