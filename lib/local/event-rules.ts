import type { InProcessEventBus } from '../../lambdas/adapters/local/in-process-event-bus.ts';
import { toBusEvent } from '../../lambdas/schemas/events/bus-event.ts';
import { type LambdaHandler, lambdaContext } from './gateway.ts';

/**
 * What an EventBridge rule with a Lambda target does, on this machine: each event of the listed
 * types published on the in-process bus reaches the function's handler in the shape EventBridge
 * delivers (`detail-type`, `detail` with the tenant). A failure is logged by the bus.
 */
export function deliverBusEvents(
  bus: InProcessEventBus,
  events: readonly { type: string }[],
  functionName: string,
  handler: LambdaHandler,
): void {
  bus.subscribe(
    events.map((event) => event.type),
    async (event) => {
      await handler(toBusEvent(event) as never, lambdaContext(functionName, 30_000));
    },
  );
}
