/** True when DynamoDB refused a write because its condition did not hold (also inside a transaction). */
export function isConditionalCheckFailure(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if (current.name === 'ConditionalCheckFailedException') return true;
    if (current.name === 'TransactionCanceledException') {
      const reasons = (current as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      return reasons.some((reason) => reason.Code === 'ConditionalCheckFailed');
    }
  }
  return false;
}

/** Runs a conditional write: true when written, false when its condition did not hold. */
export async function writtenIfCondition(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionalCheckFailure(error)) return false;
    throw error;
  }
}
